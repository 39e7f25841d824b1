import HotlineModel
import HotlineSimulation
import Testing

@testable import HotlineReports

/// The CSV headers use the JSON's snake_case names, and units.csv has a column for each unit figure.
struct CSVHeaderTests {
    @Test func headersAreSnakeCase() async {
        let files = SummaryFormat.csvFiles(await SummaryFormatTests.summary.value)
        for (name, text) in files {
            let header = text.split(separator: "\n").first.map(String.init) ?? ""
            for column in header.split(separator: ",") {
                #expect(column.wholeMatch(of: #/[a-z0-9]+(_[a-z0-9]+)*/#) != nil, "\(name): \(column)")
            }
        }
    }

    @Test func unitsHaveEveryFigure() async {
        let files = SummaryFormat.csvFiles(await SummaryFormatTests.summary.value)
        let header = files[2].text.split(separator: "\n")[0].split(separator: ",")
        #expect(header.contains("notification_line_busy"))
        for row in files[2].text.split(separator: "\n").dropFirst() {
            #expect(row.split(separator: ",", omittingEmptySubsequences: false).count == header.count)
        }
    }
}
