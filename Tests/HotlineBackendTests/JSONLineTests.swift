import Foundation
import Testing

@testable import HotlineBackend

/// The input lines' JSON parser against what RFC 8259 allows and forbids.
struct JSONLineTests {
    func parse(_ s: String) -> JSONValue? { try? JSONLine.parse(Array(s.utf8)) }

    @Test func readsEveryKindOfValue() {
        #expect(
            parse(#" {"a":"x","b":-1.5e3,"c":[true,false,null],"d":{},"e":[],"f":7} "#)
                == .object(
                    JSONObject([
                        ("a", .string("x")), ("b", .number(-1500, integer: false)),
                        ("c", .array([.bool(true), .bool(false), .null])), ("d", .object(JSONObject())),
                        ("e", .array([])), ("f", .number(7, integer: true)),
                    ])))
        // A repeated key means its last value.
        if case .object(let o) = parse(#"{"a":1,"a":2}"#) { #expect(o["a"] == .number(2, integer: true)) }
    }

    @Test func decodesEscapesAndSurrogatePairs() {
        #expect(parse(#""a\"b\\c\/d\n\t\u00e9\u4e2d\ud83d\ude00""#) == .string("a\"b\\c/d\n\té中😀"))
        #expect(parse(#""张三""#) == .string("张三"))
    }

    @Test func refusesWhatJSONDoesNot() {
        let bad = [
            "", "{", "{\"a\":1,}", "[1,]", "{'a':1}", "01", "1.", ".5", "-", "1e", "tru", "nul", "\"a", "\"\\x\"",
            "\"\\ud83d\"", "\"\\ude00\"", "\"tab\there\"", "{\"a\" 1}", "[1 2]", "{} {}", "NaN", "+1",
        ]
        for s in bad { #expect(parse(s) == nil, "\(s)") }
    }

    @Test func deepNestingIsRefusedNotACrash() {
        #expect(parse(String(repeating: "[", count: 100_000)) == nil)
        #expect(parse(String(repeating: "[", count: 10) + String(repeating: "]", count: 10)) != nil)
    }

    @Test func agreesWithFoundationOnRandomValidDocuments() throws {
        var state: UInt64 = 42
        func next() -> UInt64 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return state >> 33
        }
        func value(_ depth: Int) -> Any {
            switch next() % (depth > 3 ? 3 : 5) {
            case 0: return "s\(next() % 1000)\u{4e2d}\"\\"
            case 1: return Int(next() % 100_000) - 50_000
            case 2: return next() % 2 == 0
            case 3: return (0..<Int(next() % 4)).map { _ in value(depth + 1) }
            default: return Dictionary(uniqueKeysWithValues: (0..<Int(next() % 4)).map { ("k\($0)", value(depth + 1)) })
            }
        }
        func convert(_ v: Any) -> JSONValue {
            switch v {
            case let s as String: return .string(s)
            case let b as Bool: return .bool(b)
            case let i as Int: return .number(Double(i), integer: true)
            case let a as [Any]: return .array(a.map(convert))
            case let d as [String: Any]: return .object(JSONObject(d.map { ($0.key, convert($0.value)) }))
            default: return .null
            }
        }
        for _ in 0..<300 {
            let doc: [String: Any] = ["v": value(0)]
            let data = try JSONSerialization.data(withJSONObject: doc)
            #expect(try JSONLine.parse(Array(data)) == convert(doc))
        }
    }
}
