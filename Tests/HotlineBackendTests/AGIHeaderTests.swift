import Testing

@testable import HotlineBackend

/// The `agi_*` header's values: Asterisk passes the caller's name as raw bytes, cut at 80 bytes.
struct AGIHeaderTests {
    private func name(_ bytes: [UInt8]) -> String? {
        var header = AGIHeader()
        header.add(line: Array("agi_calleridname: ".utf8) + bytes)
        return header["agi_calleridname"]
    }

    @Test func aCharacterCutAtTheEndIsDropped() {
        // 张 then the first two of 三's three bytes: the name ends with 张.
        #expect(name([0xE5, 0xBC, 0xA0, 0xE4, 0xB8]) == "张")
        #expect(name([0xE5, 0xBC, 0xA0, 0xE4]) == "张")
        // A four-byte character (😀, F0 9F 98 80) cut after three bytes.
        #expect(name(Array("Li ".utf8) + [0xF0, 0x9F, 0x98]) == "Li ")
        // A two-byte character (é, C3 A9) cut after one.
        #expect(name(Array("Jos".utf8) + [0xC3]) == "Jos")
    }

    @Test func wholeNamesAreKeptAsTheyAre() {
        #expect(name(Array("欧阳娜娜".utf8)) == "欧阳娜娜")
        #expect(name(Array("José 😀".utf8)) == "José 😀")
        #expect(name(Array("unknown".utf8)) == "unknown")
    }

    @Test func aBadByteElsewhereBecomesAReplacementAndTheRestIsKept() {
        // A stray continuation byte in the middle, and one at the end with no lead before it.
        #expect(name([0xE5, 0xBC, 0xA0, 0x80, 0xE4, 0xB8, 0x89]) == "张\u{FFFD}三")
        #expect(name(Array("ab".utf8) + [0x80]) == "ab\u{FFFD}")
        // A lead byte followed by too few continuations and then ASCII is not a cut at the end.
        #expect(name([0xE4, 0xB8, 0x41]) == "\u{FFFD}A")
    }
}
