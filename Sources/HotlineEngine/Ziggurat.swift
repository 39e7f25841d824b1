#if canImport(Glibc)
    public import Glibc
#elseif canImport(Musl)
    public import Musl
#elseif canImport(Darwin)
    public import Darwin
#endif

/// Marsaglia and Tsang's ziggurat for the unit exponential (J. Stat. Softw. 5(8), 2000): 256 layers,
/// so 99 % of draws cost one random word, a table look-up and a multiplication, no logarithm.
///
/// The layer index and the abscissa come from separate bits of one 64-bit word. The tables are built
/// once (`shared`); a hot loop keeps a copy of the value (three pointers) so that a draw does not go
/// through the lazily initialised static each time.
public struct Ziggurat: @unchecked Sendable {
    // Allocated once and never freed; read-only after initialisation.
    @usableFromInline let k: UnsafeMutablePointer<UInt32>
    @usableFromInline let w: UnsafeMutablePointer<Double>
    @usableFromInline let f: UnsafeMutablePointer<Double>

    /// The tables, built on first use.
    public static let shared: Ziggurat = {
        var k = [UInt32](repeating: 0, count: 256)
        var w = [Double](repeating: 0, count: 256)
        var f = [Double](repeating: 0, count: 256)
        let m = 4_294_967_296.0
        var de = 7.697_117_470_131_487
        var te = de
        let ve = 3.949_659_822_581_572e-3
        let q = ve / exp(-de)
        k[0] = UInt32((de / q) * m)
        k[1] = 0
        w[0] = q / m
        w[255] = de / m
        f[0] = 1
        f[255] = exp(-de)
        for i in stride(from: 254, through: 1, by: -1) {
            de = -log(ve / de + exp(-de))
            k[i + 1] = UInt32((de / te) * m)
            te = de
            f[i] = exp(-de)
            w[i] = de / m
        }
        let table = Ziggurat(
            k: .allocate(capacity: 256), w: .allocate(capacity: 256), f: .allocate(capacity: 256))
        table.k.initialize(from: k, count: 256)
        table.w.initialize(from: w, count: 256)
        table.f.initialize(from: f, count: 256)
        return table
    }()

    @usableFromInline init(
        k: UnsafeMutablePointer<UInt32>, w: UnsafeMutablePointer<Double>, f: UnsafeMutablePointer<Double>
    ) {
        self.k = k
        self.w = w
        self.f = f
    }

    /// A draw from the exponential distribution with mean 1.
    @inlinable public func exponential(_ rng: inout Xoshiro256StarStar) -> Double {
        while true {
            let bits = rng.next()
            let i = Int(bits & 255)
            let j = UInt32(truncatingIfNeeded: bits >> 32)
            let x = Double(j) * w[i]
            if j < k[i] { return x }
            if i == 0 { return 7.697_117_470_131_487 - log(rng.nextUnit()) }
            if f[i] + rng.nextUnit() * (f[i - 1] - f[i]) < exp(-x) { return x }
        }
    }

    /// A draw from the exponential distribution with mean 1, through the shared tables.
    @inlinable public static func exponential(_ rng: inout Xoshiro256StarStar) -> Double {
        shared.exponential(&rng)
    }
}
