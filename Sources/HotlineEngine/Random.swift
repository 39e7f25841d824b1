/// SplitMix64 (Steele, Lea and Flood 2014): used to seed xoshiro and to derive stream seeds.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    public var state: UInt64

    public init(seed: UInt64) { state = seed }

    @inlinable public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// xoshiro256** (Blackman and Vigna 2018): the simulator's generator, 256 bits of state seeded by SplitMix64.
public struct Xoshiro256StarStar: RandomNumberGenerator, Sendable {
    @usableFromInline var s0: UInt64
    @usableFromInline var s1: UInt64
    @usableFromInline var s2: UInt64
    @usableFromInline var s3: UInt64

    /// A generator whose four state words are the first four outputs of SplitMix64(`seed`).
    public init(seed: UInt64) {
        var sm = SplitMix64(seed: seed)
        s0 = sm.next()
        s1 = sm.next()
        s2 = sm.next()
        s3 = sm.next()
    }

    @inlinable public mutating func next() -> UInt64 {
        let result = rotl(s1 &* 5, 7) &* 9
        let t = s1 << 17
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        s3 = rotl(s3, 45)
        return result
    }

    @inlinable @inline(__always) func rotl(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 - k)) }

    /// A uniform number in (0, 1]: 53 random bits, never 0 (safe for `log`).
    @inlinable public mutating func nextUnit() -> Double {
        Double((next() >> 11) + 1) * 0x1.0p-53
    }
}

/// Independent random streams: one per replication and per source of randomness.
///
/// A stream's seed mixes the run's seed, the replication and the stream's name through SplitMix64, so
/// that adding a source of randomness, or a draw from one source, leaves every other stream as it
/// was (common random numbers for what-if comparisons).
public struct RandomStreams: Sendable {
    public let seed: UInt64
    public let replication: Int

    public init(seed: UInt64, replication: Int) {
        self.seed = seed
        self.replication = replication
    }

    /// The generator of the stream named `name` (e.g. `"arrivals"`, `"talk"`, `"patience"`).
    public func stream(_ name: String) -> Xoshiro256StarStar {
        // FNV-1a of the name: stable across runs and platforms (unlike Hasher).
        var h: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in name.utf8 { h = (h ^ UInt64(byte)) &* 0x100_0000_01B3 }
        var mix = SplitMix64(seed: seed)
        var key = mix.next()
        mix = SplitMix64(seed: key ^ UInt64(truncatingIfNeeded: replication) &* 0xD1B5_4A32_D192_ED03)
        key = mix.next()
        mix = SplitMix64(seed: key ^ h)
        return Xoshiro256StarStar(seed: mix.next())
    }
}
