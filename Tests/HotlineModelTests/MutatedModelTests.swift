import Foundation
import HotlineCore
import HotlineTesting
import Testing

@testable import HotlineModel

/// Seeded mutations of the bundled model (flipped bytes, cut and repeated lines, stray YAML
/// punctuation) must never crash the loader: each either loads or fails with placed errors.
struct MutatedModelTests {
    /// The bundled model's five files as one document (they hold disjoint top-level sections).
    static let merged: String = {
        let folder = URL(fileURLWithPath: BundledModelTests.path)
        return ["model.yaml", "network.yaml", "categories.yaml", "calendar.yaml", "shifts.yaml"].map { name in
            let text = (try? String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8)) ?? ""
            return text.split(separator: "\n", omittingEmptySubsequences: false).filter { !$0.hasPrefix("include:") }
                .joined(separator: "\n")
        }.joined(separator: "\n")
    }()

    @Test func theMergedModelLoads() throws {
        #expect(try ModelLoader.load(text: Self.merged, file: "merged.yaml").model.name == "mudanjiang")
    }

    @Test(arguments: 0..<4)
    func mutationsNeverCrash(batch: Int) {
        var rng = SplitMix64(seed: UInt64(batch + 1) &* 0xD1B5_4A32_D192_ED03)
        let base = Array(Self.merged.utf8)
        let tokens: [[UInt8]] = [":", "-", "[", "{", "\"", "&a ", "*a", "\t", "  ", "-1", "0", "1e400", "~", "\n"].map {
            Array($0.utf8)
        }
        var loaded = 0
        for _ in 0..<20 {
            var bytes = base
            for _ in 0..<Int.random(in: 1...4, using: &rng) {
                let p = Int.random(in: 0..<bytes.count, using: &rng)
                switch Int.random(in: 0..<4, using: &rng) {
                case 0: bytes[p] = UInt8.random(in: 32...126, using: &rng)
                case 1: bytes.removeSubrange(p..<min(bytes.count, p + Int.random(in: 1...60, using: &rng)))
                case 2: bytes.insert(contentsOf: tokens.randomElement(using: &rng)!, at: p)
                default:
                    let q = Int.random(in: 0..<bytes.count, using: &rng)
                    bytes.insert(contentsOf: bytes[q..<min(bytes.count, q + 80)], at: p)
                }
            }
            do {
                _ = try ModelLoader.load(text: String(decoding: bytes, as: UTF8.self), file: "mutated.yaml")
                loaded += 1
            } catch {
                #expect(!error.errors.isEmpty)
                #expect(error.errors.allSatisfy { $0.file == "mutated.yaml" && !$0.message.isEmpty })
            }
        }
        #expect(loaded < 20, "mutations that never break the model test nothing")
    }
}
