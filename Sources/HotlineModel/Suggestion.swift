/// The closest of `candidates` to a misspelt `word`, if it is close enough to be a likely typo.
func suggestion(for word: String, among candidates: [String]) -> String? {
    let w = Array(word.lowercased().unicodeScalars)
    var best: (String, Int)?
    for c in candidates {
        let d = editDistance(w, Array(c.lowercased().unicodeScalars))
        if d < (best?.1 ?? Int.max) { best = (c, d) }
    }
    guard let (candidate, distance) = best else { return nil }
    let limit = max(2, min(w.count, candidate.count) / 3)
    // A key that only lacks or has an extra unit suffix ("threshold" for "threshold_s") is also a match.
    if distance <= limit || candidate.hasPrefix(word) || word.hasPrefix(candidate) { return candidate }
    return nil
}

/// Damerau–Levenshtein distance (optimal string alignment) between two scalar arrays.
func editDistance(_ a: [Unicode.Scalar], _ b: [Unicode.Scalar]) -> Int {
    if a.isEmpty { return b.count }
    if b.isEmpty { return a.count }
    var d = Array(repeating: Array(repeating: 0, count: b.count + 1), count: a.count + 1)
    for i in 0...a.count { d[i][0] = i }
    for j in 0...b.count { d[0][j] = j }
    for i in 1...a.count {
        for j in 1...b.count {
            let cost = a[i - 1] == b[j - 1] ? 0 : 1
            d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost)
            if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1)
            }
        }
    }
    return d[a.count][b.count]
}
