/// A language the voice prompts are recorded in.
package enum PromptLanguage: String, Sendable, Hashable, CaseIterable {
    /// Mandarin, the default.
    case zh
    /// English.
    case en

    /// The language for a code the server or a user gives.
    ///
    /// `en`, `EN` and `en-GB` are English; every other code, and none, is Mandarin: a prompt is
    /// always spoken in some language the catalogue has.
    package init(code: String?) {
        self = (code ?? "").lowercased().hasPrefix("en") ? .en : .zh
    }
}

/// Turns a prompt name that `hotline serve` sends in `play` and `collect` into the catalogue ids a
/// PBX plays for it, in order (`Prompts/catalogue.yaml`, docs/prompts.md).
///
/// ```swift
/// SpokenPrompt.ids(for: "number:12", language: "zh")     // ["ten", "digit-2"]: 十二
/// SpokenPrompt.ids(for: "seconds:130", language: "en")   // ["about", "digit-2", "minutes"]
/// SpokenPrompt.ids(for: "greeting", language: "en")      // ["greeting"]
/// ```
///
/// Names of the form `kind:value` are spoken:
/// - `number:N` a whole number: Mandarin as written in words (十二, 一百零五, 两千, 一万零一十) up to
///   99,999,999, English composed of `digit-N`, `n-10`…`n-19`, the tens, `hundred` and `thousand`
///   (one hundred five) up to 999,999; larger numbers are read digit by digit.
/// - `seconds:N` an expected wait: under a minute is `less-than-a-minute`, under an hour
///   `about` N `minutes` rounded to the minute, longer waits `about` H `hours` [and M `minutes`]
///   rounded to five minutes. Mandarin counts with 两 (约两分钟).
/// - `case:ID` a case number, digit by digit without its dash; Mandarin reads 1 as 幺, as on the
///   telephone.
///
/// Every other name is a catalogue id and passes through. A malformed value (`number:-1`,
/// `number:abc`, `seconds:`, `case:12a`) gives no ids at all: the caller hears nothing rather than
/// a wrong figure. The functions never trap.
package enum SpokenPrompt {
    /// The largest number read in words in Mandarin; larger ones are read digit by digit.
    package static let largestMandarinNumber = 99_999_999
    /// The largest number read in words in English; larger ones are read digit by digit.
    package static let largestEnglishNumber = 999_999
    /// The most digits read one by one; a longer value is malformed and gives no ids.
    package static let longestDigitString = 32

    /// The catalogue ids to play for one prompt name, in order.
    /// - Parameters:
    ///   - prompt: a name from a `play` or `collect` command: `greeting`, `number:3`, `seconds:120`,
    ///     `case:20261130-000001`.
    ///   - language: the call's language code (`zh`, `en`); an unknown code is Mandarin.
    /// - Returns: the ids, possibly none for a malformed value.
    package static func ids(for prompt: String, language: String?) -> [String] {
        ids(for: prompt, language: PromptLanguage(code: language))
    }

    /// The catalogue ids to play for one prompt name, in order.
    /// - Complexity: O(n) in the length of the name; no I/O.
    package static func ids(for prompt: String, language: PromptLanguage) -> [String] {
        guard let colon = prompt.firstIndex(of: ":") else { return prompt.isEmpty ? [] : [prompt] }
        let value = Substring(prompt[prompt.index(after: colon)...])
        switch prompt[..<colon] {
        case "number": return number(value, language: language)
        case "seconds": return duration(value, language: language)
        case "case": return caseNumber(value, language: language)
        default: return [prompt]
        }
    }

    /// The ids that speak a whole number.
    /// - Parameters:
    ///   - n: the number; a negative one gives no ids.
    ///   - counted: whether a measure word follows (两分钟 rather than 二分钟); Mandarin only.
    package static func ids(forNumber n: Int, language: PromptLanguage, counted: Bool = false) -> [String] {
        guard n >= 0 else { return [] }
        switch language {
        case .zh: return n <= largestMandarinNumber ? mandarin(n, counted: counted) : digits(String(n), .zh)
        case .en: return n <= largestEnglishNumber ? english(n) : digits(String(n), .en)
        }
    }

    /// The ids that speak an expected wait of `seconds`; a negative one gives no ids.
    package static func ids(forWait seconds: Int, language: PromptLanguage) -> [String] {
        guard seconds >= 0 else { return [] }
        guard seconds >= 60 else { return ["less-than-a-minute"] }
        let minutes = seconds / 60 + (seconds % 60 >= 30 ? 1 : 0)
        if minutes < 60 {
            return ["about"] + ids(forNumber: minutes, language: language, counted: true)
                + [minutes == 1 ? "minute" : "minutes"]
        }
        // An hour or more: to five minutes, as nobody waits "about 1 hour 7 minutes" to the minute.
        let rounded = (minutes + 2) / 5 * 5
        let (hours, rest) = rounded.quotientAndRemainder(dividingBy: 60)
        var out = ["about"] + ids(forNumber: hours, language: language, counted: true) + [hours == 1 ? "hour" : "hours"]
        if rest > 0 {
            if language == .en { out.append("and") }
            out += ids(forNumber: rest, language: language, counted: true) + ["minutes"]
        }
        return out
    }

    // MARK: The kinds of value

    private static func number(_ value: Substring, language: PromptLanguage) -> [String] {
        guard isDigits(value) else { return [] }
        guard let n = Int(value) else { return digits(value, language) }
        return ids(forNumber: n, language: language)
    }

    private static func duration(_ value: Substring, language: PromptLanguage) -> [String] {
        // A wait too long for an Int is malformed: nothing is said rather than a wrong figure.
        guard isDigits(value), let seconds = Int(value) else { return [] }
        return ids(forWait: seconds, language: language)
    }

    private static func caseNumber(_ value: Substring, language: PromptLanguage) -> [String] {
        let digitsOnly = value.filter { $0 != "-" }
        guard isDigits(Substring(digitsOnly)) else { return [] }
        return digitsOnly.map { d in language == .zh && d == "1" ? "yao" : "digit-\(d)" }
    }

    private static func isDigits(_ s: Substring) -> Bool {
        !s.isEmpty && s.count <= longestDigitString && s.allSatisfy { ("0"..."9").contains($0) }
    }

    private static func digits(_ s: some StringProtocol, _ language: PromptLanguage) -> [String] {
        s.count <= longestDigitString ? s.map { "digit-\($0)" } : []
    }

    // MARK: Mandarin

    /// 0 … 99,999,999 in words: a group of four digits, 万, another group. Zeros at the end of a group
    /// are silent; one 零 stands for a run of zeros inside a number (一千零一十, 十万零五百). A leading
    /// 1 before 十 is silent (十二, 十万); a leading 2 before 百, 千 or 万 is 两 (两千, 两万), and so is
    /// a 2 alone before a measure word (两分钟).
    private static func mandarin(_ n: Int, counted: Bool) -> [String] {
        if n == 0 { return ["digit-0"] }
        if n == 2 && counted { return ["liang"] }
        let (high, low) = n.quotientAndRemainder(dividingBy: 10_000)
        guard high > 0 else { return mandarinGroup(low, leading: true, beforeUnit: false) }
        var out = mandarinGroup(high, leading: true, beforeUnit: true) + ["ten-thousand"]
        if low > 0 {
            if low < 1000 { out.append("digit-0") }
            out += mandarinGroup(low, leading: false, beforeUnit: false)
        }
        return out
    }

    /// One group of up to four digits (1 … 9999). `leading`: nothing is spoken before it;
    /// `beforeUnit`: 万 follows it.
    private static func mandarinGroup(_ group: Int, leading: Bool, beforeUnit: Bool) -> [String] {
        let places: [(value: Int, unit: String?)] = [(1000, "thousand"), (100, "hundred"), (10, "ten"), (1, nil)]
        var out: [String] = []
        var zeroPending = false
        for (value, unit) in places {
            let d = group / value % 10
            guard d > 0 else {
                if !out.isEmpty { zeroPending = true }
                continue
            }
            if zeroPending {
                out.append("digit-0")
                zeroPending = false
            }
            let first = leading && out.isEmpty
            if first && d == 1 && unit == "ten" {
                out.append("ten")
                continue
            }
            let unitFollows = unit == "thousand" || unit == "hundred" || (unit == nil && beforeUnit)
            out.append(first && d == 2 && unitFollows ? "liang" : "digit-\(d)")
            if let unit { out.append(unit) }
        }
        return out
    }

    // MARK: English

    /// 0 … 999,999: `twelve`, `forty two`, `one hundred five`, `twelve thousand three hundred`.
    private static func english(_ n: Int) -> [String] {
        switch n {
        case 0..<10: return ["digit-\(n)"]
        case 10..<20: return ["n-\(n)"]
        case 20..<100:
            let (tens, ones) = n.quotientAndRemainder(dividingBy: 10)
            return ["n-\(tens * 10)"] + (ones > 0 ? ["digit-\(ones)"] : [])
        case 100..<1000:
            let (hundreds, rest) = n.quotientAndRemainder(dividingBy: 100)
            return ["digit-\(hundreds)", "hundred"] + (rest > 0 ? english(rest) : [])
        default:
            let (thousands, rest) = n.quotientAndRemainder(dividingBy: 1000)
            return english(thousands) + ["thousand"] + (rest > 0 ? english(rest) : [])
        }
    }
}
