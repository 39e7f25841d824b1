internal import Foundation
internal import HotlineCore

/// The language a notice is written in.
package enum NoticeLanguage: String, Sendable, CaseIterable {
    /// Chinese, as the centre issues its notices (the default).
    case zh
    /// English.
    case en

    /// The text of this language.
    func pick(_ zh: String, _ en: String) -> String { self == .zh ? zh : en }
}

/// The formats a notice is rendered in.
package enum NoticeFormat: String, Sendable, CaseIterable {
    /// Plain text for a terminal.
    case text
    /// Markdown.
    case md
    /// One self-contained HTML page, printable.
    case html
    /// One JSON document, snake_case keys.
    case json
}

/// A notice (a bulletin, an assessment) as blocks of text, so that the terminal, Markdown and HTML
/// renderings say the same thing in the same order.
struct NoticeDocument {
    var lang: NoticeLanguage
    /// The issuer and the subject, one line each.
    var title: [String]
    var blocks: [Block]
    /// The issuer's lines at the foot.
    var signature: [String] = []

    enum Block {
        /// A numbered section (level 1) or subsection (level 2); the number is part of the text.
        case heading(String, level: Int)
        case paragraph(String)
        /// A line that is not indented (the salutation of a notice).
        case salutation(String)
        /// Numbered items, each a head line with lines under it.
        case items([Item])
        /// A table; `right` columns are numbers, aligned right; `marks` class rows in HTML.
        case table(header: [String], rows: [[String]], right: Set<Int>, marks: [String] = [])
    }

    struct Item {
        var head: String
        var lines: [Line] = []
        /// A class for the HTML rendering (`media`, `mayor`, …).
        var mark: String? = nil
    }

    /// A line under an item, with lines under it (the evidence of a finding).
    struct Line {
        var text: String
        var sub: [String] = []
    }

    // MARK: Plain text

    /// Plain text: paragraphs and items indented, tables padded to the widest cell (a Chinese
    /// character counts two columns, as a terminal shows it).
    var text: String {
        var out = title.joined(separator: "\n") + "\n"
        for block in blocks {
            switch block {
            case .heading(let text, let level):
                out += (level == 1 ? "\n" : "") + (level == 1 ? "" : "  ") + text + "\n"
            case .paragraph(let text):
                out += (lang == .zh ? "    " : "  ") + text + "\n"
            case .salutation(let text):
                out += "\n" + text + "\n"
            case .items(let items):
                for (k, item) in items.enumerated() {
                    let number = "\(k + 1). "
                    out += "    " + number + item.head + "\n"
                    let indent = String(repeating: " ", count: 4 + number.count)
                    for line in item.lines {
                        out += indent + line.text + "\n"
                        for sub in line.sub { out += indent + "  " + sub + "\n" }
                    }
                }
            case .table(let header, let rows, let right, _):
                out += Self.textTable([header] + rows, right: right).map { "    " + $0 }.joined(separator: "\n") + "\n"
            }
        }
        if !signature.isEmpty { out += "\n" + signature.joined(separator: "\n") + "\n" }
        return out
    }

    static func textTable(_ rows: [[String]], right: Set<Int>) -> [String] {
        guard let first = rows.first else { return [] }
        let widths = first.indices.map { i in rows.map { displayWidth($0[i]) }.max() ?? 0 }
        return rows.map { row in
            let cells = row.enumerated().map { i, cell in
                let pad = String(repeating: " ", count: widths[i] - displayWidth(cell))
                return right.contains(i) ? pad + cell : (i == row.count - 1 ? cell : cell + pad)
            }
            return cells.joined(separator: "  ").trimmingTrailingSpaces()
        }
    }

    /// Columns a terminal gives the text: two for East Asian wide characters, one for the rest.
    static func displayWidth(_ s: String) -> Int {
        s.unicodeScalars.reduce(0) { n, u in
            let v = u.value
            let wide =
                (0x1100...0x115F).contains(v) || (0x2E80...0xA4CF).contains(v) || (0xAC00...0xD7A3).contains(v)
                || (0xF900...0xFAFF).contains(v) || (0xFE30...0xFE4F).contains(v) || (0xFF00...0xFF60).contains(v)
                || (0xFFE0...0xFFE6).contains(v) || (0x20000...0x3FFFD).contains(v)
            return n + (wide ? 2 : 1)
        }
    }

    // MARK: Markdown

    var markdown: String {
        var out = "# " + title.map(Self.md).joined(separator: "<br>") + "\n"
        for block in blocks {
            switch block {
            case .heading(let text, let level):
                out += "\n" + String(repeating: "#", count: level + 1) + " " + Self.md(text) + "\n"
            case .paragraph(let text), .salutation(let text):
                out += "\n" + Self.md(text) + "\n"
            case .items(let items):
                out += "\n"
                for (k, item) in items.enumerated() {
                    out += "\(k + 1). " + Self.md(item.head) + "\n"
                    for line in item.lines {
                        out += "   - " + Self.md(line.text) + "\n"
                        for sub in line.sub { out += "     - " + Self.md(sub) + "\n" }
                    }
                }
            case .table(let header, let rows, let right, _):
                out += "\n| " + header.map(Self.cell).joined(separator: " | ") + " |\n"
                out += "|" + header.indices.map { right.contains($0) ? "---:|" : "---|" }.joined() + "\n"
                for row in rows { out += "| " + row.map(Self.cell).joined(separator: " | ") + " |\n" }
            }
        }
        if !signature.isEmpty { out += "\n" + signature.map(Self.md).joined(separator: "  \n") + "\n" }
        return out
    }

    /// Text with the characters Markdown would read as markup escaped.
    static func md(_ text: String) -> String {
        var out = ""
        for c in text {
            if "\\`*_[]<>|#".contains(c) { out.append("\\") }
            out.append(c)
        }
        return out
    }

    static func cell(_ text: String) -> String { md(text).replacingOccurrences(of: "\n", with: " ") }

    // MARK: HTML

    /// One page, no scripts, no external files: readable on screen and printable on A4.
    var html: String {
        var body =
            "<header>"
            + title.enumerated().map { k, line in
                k == 0 ? "<p class=\"issuer\">\(Self.escape(line))</p>" : "<h1>\(Self.escape(line))</h1>"
            }.joined() + "</header>\n"
        for block in blocks {
            switch block {
            case .heading(let text, let level):
                body += "<h\(level + 1)>\(Self.escape(text))</h\(level + 1)>\n"
            case .paragraph(let text):
                body += "<p>\(Self.escape(text))</p>\n"
            case .salutation(let text):
                body += "<p class=\"salutation\">\(Self.escape(text))</p>\n"
            case .items(let items):
                body += "<ol>\n"
                for item in items {
                    body +=
                        "<li" + (item.mark.map { " class=\"\($0)\"" } ?? "") + "><p class=\"head\">"
                        + Self.escape(item.head) + "</p>"
                    if !item.lines.isEmpty {
                        body += "<ul>"
                        for line in item.lines {
                            body += "<li>" + Self.escape(line.text)
                            if !line.sub.isEmpty {
                                body +=
                                    "<ul class=\"evidence\">"
                                    + line.sub.map { "<li>\(Self.escape($0))</li>" }.joined() + "</ul>"
                            }
                            body += "</li>"
                        }
                        body += "</ul>"
                    }
                    body += "</li>\n"
                }
                body += "</ol>\n"
            case .table(let header, let rows, let right, let marks):
                body +=
                    "<table><thead><tr>"
                    + header.enumerated().map { i, h in
                        "<th" + (right.contains(i) ? " class=\"n\"" : "") + ">\(Self.escape(h))</th>"
                    }.joined() + "</tr></thead><tbody>\n"
                for (r, row) in rows.enumerated() {
                    body +=
                        (r < marks.count ? "<tr class=\"\(marks[r])\">" : "<tr>")
                        + row.enumerated().map { i, c in
                            "<td" + (right.contains(i) ? " class=\"n\"" : "") + ">\(Self.escape(c))</td>"
                        }.joined() + "</tr>\n"
                }
                body += "</tbody></table>\n"
            }
        }
        if !signature.isEmpty {
            body += "<footer>" + signature.map { "<p>\(Self.escape($0))</p>" }.joined() + "</footer>\n"
        }
        return """
            <!DOCTYPE html>
            <html lang="\(lang == .zh ? "zh-CN" : "en")"><head><meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(Self.escape(title.joined(separator: " ")))</title>
            <style>
            body { font-family: "Noto Serif CJK SC", "Source Han Serif SC", "SimSun", "Noto Sans CJK SC", serif; margin: 2em auto; max-width: 60em; padding: 0 1.5em; color: #111; line-height: 1.6; }
            header { text-align: center; border-bottom: 3px double #b00; padding-bottom: 0.6em; margin-bottom: 1.2em; }
            .issuer { color: #b00; font-size: 1.6em; font-weight: bold; letter-spacing: 0.08em; margin: 0; }
            h1 { font-size: 1.3em; margin: 0.4em 0 0; } h2 { font-size: 1.1em; margin-top: 1.6em; } h3 { font-size: 1em; margin-top: 1.2em; }
            p { margin: 0.5em 0; text-indent: \(lang == .zh ? "2em" : "0"); } p.salutation { text-indent: 0; margin-top: 1em; } li p.head { text-indent: 0; margin: 0.3em 0 0.1em; font-weight: bold; }
            ol { padding-left: 2em; } ul { padding-left: 1.2em; margin: 0.1em 0 0.5em; font-size: 0.92em; color: #333; } ul.evidence { list-style: circle; color: #444; font-size: 0.96em; }
            li.media > p.head, tr.media td:nth-child(2) { color: #b00; font-weight: bold; } li.mayor > p.head, tr.mayor td:nth-child(2) { color: #a0522d; }
            table { border-collapse: collapse; font-size: 0.88em; margin: 0.6em 0 1em; width: 100%; }
            th, td { border: 1px solid #bbb; padding: 3px 6px; text-align: left; vertical-align: top; }
            th { background: #f3f0ea; } td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
            tbody tr:nth-child(even) { background: #fafafa; }
            footer { text-align: right; margin-top: 2em; }
            @media print { body { margin: 0; max-width: none; font-size: 10.5pt; } h2 { break-after: avoid; } tr, li { break-inside: avoid; } @page { size: A4; margin: 18mm 15mm; } }
            </style></head><body>
            \(body)</body></html>

            """
    }

    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}

extension String {
    fileprivate func trimmingTrailingSpaces() -> String {
        var s = Substring(self)
        while s.last == " " { s.removeLast() }
        return String(s)
    }
}

/// How notices write numbers, shares, times and durations.
enum NoticeText {
    /// 一 to 十九, for numbered sections.
    static func chineseNumeral(_ n: Int) -> String {
        let digits = ["", "一", "二", "三", "四", "五", "六", "七", "八", "九"]
        if n < 10 { return digits[n] }
        if n < 20 { return "十" + digits[n - 10] }
        return String(n)
    }

    /// A section number: `一、` or `1. `.
    static func section(_ n: Int, _ lang: NoticeLanguage) -> String {
        lang == .zh ? chineseNumeral(n) + "、" : "\(n). "
    }

    /// A subsection number: `(一)` or `(a) `.
    static func subsection(_ n: Int, _ lang: NoticeLanguage) -> String {
        lang == .zh ? "(" + chineseNumeral(n) + ")" : "(" + String(UnicodeScalar(UInt8(96 + min(n, 26)))) + ") "
    }

    static func whole(_ x: Double) -> String { NumberText.whole(x) }
    static func whole(_ n: Int) -> String { NumberText.whole(Double(n)) }

    /// A share as a percentage with one decimal: `92.0%` (`92.0 %` in English).
    static func percent(_ x: Double, _ lang: NoticeLanguage) -> String {
        String(format: "%.1f", x * 100) + (lang == .zh ? "%" : " %")
    }

    /// A threshold as a percentage, no decimals it does not need: `92%`, `12.5%` (`92 %` in English).
    static func share(_ x: Double, _ lang: NoticeLanguage) -> String {
        plain((x * 1000).rounded() / 10) + (lang == .zh ? "%" : " %")
    }

    /// Points with two decimals.
    static func points(_ x: Double) -> String { String(format: "%.2f", x) }

    /// A threshold or weight as written: `0.5`, `30`.
    static func plain(_ x: Double) -> String {
        x == x.rounded() && abs(x) < 1e9 ? String(Int(x)) : String(format: "%g", x)
    }

    /// A moment as a notice shows it: `2026-11-03 17:00` (local time).
    static func time(_ t: Instant) -> String { t.description.replacingOccurrences(of: "T", with: " ") }

    /// A duration: `1天4小时`, `3小时20分`, `46分钟`; `1 d 4 h`, `3 h 20 min`, `46 min`.
    static func duration(_ seconds: Double, _ lang: NoticeLanguage) -> String {
        let minutes = max(1, Int((seconds / 60).rounded()))
        let d = minutes / 1440
        let h = minutes % 1440 / 60
        let m = minutes % 60
        if d > 0 { return lang == .zh ? "\(d)天\(h)小时" : "\(d) d \(h) h" }
        if h > 0 { return lang == .zh ? "\(h)小时\(m)分" : "\(h) h \(m) min" }
        return lang == .zh ? "\(m)分钟" : "\(m) min"
    }
}
