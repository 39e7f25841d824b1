/// Erlang B: the blocking probability of c servers offered `load` erlangs with no waiting room.
///
/// The stable recursion B(0) = 1, B(k) = a B(k−1) / (k + a B(k−1)).
/// - Complexity: O(c).
package func erlangB(servers c: Int, load a: Double) -> Double {
    precondition(c >= 0 && a >= 0, "servers and load are non-negative")
    var b = 1.0
    if c == 0 { return b }
    for k in 1...c { b = a * b / (Double(k) + a * b) }
    return b
}
