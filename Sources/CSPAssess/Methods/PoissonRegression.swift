import CSPSchema
import CSPStorage
import Foundation

/// Maximum-likelihood Poisson regression with a log link, fitted by iteratively reweighted least
/// squares (Newton's method) with step halving. Internal engine behind ``PoissonTrend`` and ``Seasonality``.
struct PoissonRegression {
    /// Coefficients, in design-column order.
    let coefficients: [Double]
    /// Inverse Fisher information (X'WX)⁻¹ at the estimate (the unscaled covariance).
    let covariance: [[Double]]
    /// Fitted means μ.
    let fitted: [Double]
    /// Deviance 2 Σ [y ln(y/μ) − (y − μ)], with y ln y = 0 at y = 0.
    let deviance: Double
    /// Pearson statistic Σ (y − μ)² / μ.
    let pearson: Double
    /// Whether the deviance settled (relative change < 1e-10) within the iteration limit.
    let converged: Bool

    /// Fits `y` (non-negative counts) on the rows of `design` (each row one observation, same length).
    /// Returns nil when the information matrix is singular (for example a column of zeros).
    static func fit(y: [Double], design: [[Double]], maxIterations: Int = 100) -> PoissonRegression? {
        let n = y.count
        guard n > 0, design.count == n, let p = design.first?.count, p > 0, p <= n else { return nil }
        let mean = max(y.reduce(0, +) / Double(n), 1e-8)
        var mu = y.map { ($0 + mean) / 2 }
        var eta = mu.map { log($0) }
        var beta = [Double](repeating: 0, count: p)
        // The start is not on the model surface, so the first step is taken whole.
        var dev = Double.infinity
        var converged = false
        var info: [[Double]] = []
        for _ in 0..<maxIterations {
            // Working response and weights.
            var xtwx = [[Double]](repeating: [Double](repeating: 0, count: p), count: p)
            var xtwz = [Double](repeating: 0, count: p)
            for i in 0..<n {
                let w = mu[i]
                let z = eta[i] + (y[i] - mu[i]) / mu[i]
                let row = design[i]
                for a in 0..<p {
                    let wa = w * row[a]
                    xtwz[a] += wa * z
                    for b in 0...a { xtwx[a][b] += wa * row[b] }
                }
            }
            for a in 0..<p { for b in 0..<a { xtwx[b][a] = xtwx[a][b] } }
            // A singular system after the first step means the estimate is running away (a month-of-year or
            // trend direction with no events): keep the last estimate rather than fail.
            guard let candidate = solveSymmetric(xtwx, xtwz) else {
                if dev.isFinite { break }
                return nil
            }
            info = xtwx
            // Step halving until the deviance does not increase.
            var step = 1.0
            var newBeta = candidate
            var newEta = linear(design, newBeta)
            var newMu = newEta.map(safeExp)
            var newDev = deviance(y, newMu)
            var halvings = 0
            while dev.isFinite, !(newDev <= dev * (1 + 1e-12) + 1e-12), halvings < 30 {
                step /= 2
                halvings += 1
                newBeta = zip(beta, candidate).map { $0 + step * ($1 - $0) }
                newEta = linear(design, newBeta)
                newMu = newEta.map(safeExp)
                newDev = deviance(y, newMu)
            }
            let change = abs(newDev - dev)
            beta = newBeta
            eta = newEta
            mu = newMu
            dev = newDev
            if change <= 1e-10 * (abs(dev) + 0.1) { converged = true; break }
        }
        // Information at the final estimate.
        var xtwx = [[Double]](repeating: [Double](repeating: 0, count: p), count: p)
        for i in 0..<n {
            for a in 0..<p { for b in 0..<p { xtwx[a][b] += mu[i] * design[i][a] * design[i][b] } }
        }
        // Covariance at the estimate, or at the last solvable iterate when the final one is numerically singular.
        guard let cov = invertSymmetric(xtwx) ?? invertSymmetric(info) else { return nil }
        let pearson = zip(y, mu).reduce(0.0) { s, e in e.1 > 0 ? s + (e.0 - e.1) * (e.0 - e.1) / e.1 : s }
        return PoissonRegression(coefficients: beta, covariance: cov, fitted: mu, deviance: dev, pearson: pearson, converged: converged)
    }

    /// Poisson deviance of means `mu` for counts `y`.
    static func deviance(_ y: [Double], _ mu: [Double]) -> Double {
        var d = 0.0
        for (yi, mi) in zip(y, mu) {
            let term = yi > 0 ? yi * log(yi / mi) : 0
            d += 2 * (term - (yi - mi))
        }
        return d
    }

    private static func safeExp(_ x: Double) -> Double { exp(min(max(x, -700), 700)) }

    private static func linear(_ design: [[Double]], _ beta: [Double]) -> [Double] {
        design.map { row in zip(row, beta).reduce(0) { $0 + $1.0 * $1.1 } }
    }

    /// Cholesky factor L (lower) of a symmetric positive-definite matrix, or nil.
    private static func cholesky(_ a: [[Double]]) -> [[Double]]? {
        let p = a.count
        var l = [[Double]](repeating: [Double](repeating: 0, count: p), count: p)
        let scale = (0..<p).map { a[$0][$0] }.max() ?? 0
        for i in 0..<p {
            for j in 0...i {
                var s = a[i][j]
                for k in 0..<j { s -= l[i][k] * l[j][k] }
                if i == j {
                    guard s > scale * 1e-14, s.isFinite else { return nil }
                    l[i][i] = s.squareRoot()
                } else {
                    l[i][j] = s / l[j][j]
                }
            }
        }
        return l
    }

    private static func solve(_ l: [[Double]], _ b: [Double]) -> [Double] {
        let p = l.count
        var y = b
        for i in 0..<p {
            for k in 0..<i { y[i] -= l[i][k] * y[k] }
            y[i] /= l[i][i]
        }
        var x = y
        for i in stride(from: p - 1, through: 0, by: -1) {
            for k in (i + 1)..<p { x[i] -= l[k][i] * x[k] }
            x[i] /= l[i][i]
        }
        return x
    }

    static func solveSymmetric(_ a: [[Double]], _ b: [Double]) -> [Double]? {
        guard let l = cholesky(a) else { return nil }
        return solve(l, b)
    }

    static func invertSymmetric(_ a: [[Double]]) -> [[Double]]? {
        guard let l = cholesky(a) else { return nil }
        let p = a.count
        var columns: [[Double]] = []
        for j in 0..<p {
            var e = [Double](repeating: 0, count: p)
            e[j] = 1
            columns.append(solve(l, e))
        }
        return (0..<p).map { i in (0..<p).map { j in columns[j][i] } }
    }
}
