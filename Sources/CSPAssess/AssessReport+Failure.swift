import CSPCore
import Foundation

extension AssessReport {
    /// The report of a failed run: `html()` with a banner at the top naming each failure of the earlier stages (a
    /// data-quality gate, a broken or changed input, two files for one month), so that a page someone opens or
    /// forwards never passes for a good run's. The page is unchanged when `failures` is empty.
    func html(failures: [String]) -> String {
        let page = html()
        let banner = FailureBanner.html(failures)
        guard !banner.isEmpty, let body = page.range(of: "<body>") else { return page }
        var out = page
        out.insert(contentsOf: banner, at: body.upperBound)
        return out
    }
}
