internal import Foundation

extension SingleQueue {
    /// Erlang A (M/M/c+M, Palm's queue): callers hang up after an exponential patience.
    ///
    /// The number in the system is a birth–death chain (births λ, deaths min(k, c) μ + max(0, k − c) θ),
    /// truncated where its terms fall below 1e-300 of the largest. By PASTA a caller meets state k with
    /// the stationary probability p_k. A caller with j callers ahead is answered when the j + 1 phases
    /// ahead of it end (rates cμ + iθ, i = j … 0) before its own patience runs out; each phase is
    /// survived with probability (cμ + iθ) / (cμ + (i + 1)θ), a product that telescopes to
    /// cμ / (cμ + (j + 1)θ), and given survival the phases last Exp(cμ + (i + 1)θ), i = 0 … j. That sum
    /// is the (j + 1)-th order statistic of b + j + 1 exponentials (b = cμ/θ, Rényi), so
    /// P(sum ≤ t) = I_x(j + 1, b + 1) with x = 1 − e^{−θt}, the regularized incomplete beta function.
    /// P(abandon) = θ E[queue] / λ and the mean wait of all callers E[queue] / λ (Little).
    ///
    /// - Returns: `nil` without patience (use `erlangC`) or without servers.
    /// - Complexity: O(c + J) for J states kept in the queue.
    package func erlangA(threshold t: Double) -> QueueFigures? {
        guard let patience = meanPatience, patience > 0, servers > 0 else { return nil }
        let lambda = arrivalRate
        let mu = 1 / meanServiceTime
        let theta = 1 / patience
        let c = servers
        let cmu = Double(c) * mu

        // Stationary distribution, unnormalised, in log space for large loads.
        var logp: [Double] = [0]
        var k = 0
        var peak = 0.0
        while true {
            k += 1
            let death = Double(min(k, c)) * mu + Double(max(0, k - c)) * theta
            let next = logp[k - 1] + log(lambda / death)
            logp.append(next)
            peak = max(peak, next)
            if k > c && next < peak - 690 && next < logp[k - 1] { break }  // e^-690 ≈ 1e-300
            if k > c + 10_000_000 { break }
        }
        let weights = logp.map { exp($0 - peak) }
        let total = weights.reduce(0, +)
        let p = weights.map { $0 / total }

        var answeredNow = 0.0
        for k in 0..<min(c, p.count) { answeredNow += p[k] }
        let x = 1 - exp(-theta * t)
        let b = cmu / theta + 1  // the beta's second parameter
        // I_x(1, b) = 1 − (1 − x)^b; I_x(a + 1, b) = I_x(a, b) − T_a with T_1 = b x (1 − x)^b, T_{a+1} = T_a x (a + b)/(a + 1).
        var incompleteBeta = 1 - pow(1 - x, b)
        var term = b * x * pow(1 - x, b)
        var withinThreshold = answeredNow
        var queueMean = 0.0
        var answeredWaitSum = 0.0
        var phaseMeans = 0.0
        var pWait = 0.0
        for j in 0..<max(0, p.count - c) {
            let q = p[c + j]
            pWait += q
            queueMean += Double(j) * q
            let survive = cmu / (cmu + Double(j + 1) * theta)
            withinThreshold += q * survive * max(0, incompleteBeta)
            phaseMeans += 1 / (cmu + Double(j + 1) * theta)
            answeredWaitSum += q * survive * phaseMeans
            incompleteBeta -= term
            term *= x * (Double(j + 1) + b) / Double(j + 2)
        }
        let pAbandon = theta * queueMean / lambda
        return QueueFigures(
            serviceLevel: withinThreshold, meanWait: queueMean / lambda, asa: answeredWaitSum / (1 - pAbandon),
            abandonRate: pAbandon, occupancy: lambda * (1 - pAbandon) / cmu, probabilityOfWaiting: pWait)
    }

    /// Erlang A when callers hang up, Erlang C otherwise.
    package func figures(threshold t: Double) -> QueueFigures? {
        meanPatience == nil ? erlangC(threshold: t) : erlangA(threshold: t)
    }
}
