package import HotlineCore

/// A model in the single-queue form of DESIGN.md, which queueing theory solves exactly: Poisson arrivals
/// at a flat rate, a flat number of operators, exponential talk with no after-call work, and exponential
/// patience or none, with no greeting, retrials, call-back offers or routing.
package struct SingleQueueForm: Sendable, Equatable {
    package var ratePerHour: Double
    package var meanTalk: Double
    package var operators: Int
    /// `nil` for callers who never hang up (Erlang C).
    package var meanPatience: Double?
    package var threshold: Double

    /// The single-queue form of a model, or `nil` (with the reason) when it has more than that.
    package static func of(_ model: CityModel) -> Result<SingleQueueForm, Refusal> {
        let rates = Set(model.arrivals.baseRatePerHour)
        guard rates.count == 1, let rate = rates.first, rate > 0, model.arrivals.seasons.isEmpty,
            model.arrivals.surges.isEmpty,
            model.arrivals.dayOfWeek.values.allSatisfy({ $0 == 1 }), model.arrivals.holidayFactor == nil
        else { return .failure(Refusal("arrivals are not a flat rate (rate_per_hour with no factors)")) }
        guard case .flat(let operators) = model.staffing else {
            return .failure(Refusal("operators are not a flat count"))
        }
        guard model.handling.count == 1, let handling = model.handling.values.first,
            case .exponential(let talk) = handling.talk,
            handling.afterCall == nil
        else {
            return .failure(Refusal("handling is not one disposition with exponential talk and no after-call work"))
        }
        var patience: Double?
        switch model.patience {
        case nil: patience = nil
        case .exponential(let m)?: patience = m
        default: return .failure(Refusal("patience is not exponential"))
        }
        guard model.retrial == nil, model.ivr.greeting == nil, model.ivr.callbackOfferAfter == nil,
            model.router.categories.count == 0, (model.callbacks?.missedCallShare ?? 0) == 0
        else {
            return .failure(Refusal("the model has retrials, a greeting, call-back offers, categories or call-backs"))
        }
        return .success(
            SingleQueueForm(
                ratePerHour: rate, meanTalk: talk, operators: operators, meanPatience: patience,
                threshold: model.service.thresholdSeconds))
    }

    /// Why a model is not a single queue.
    package struct Refusal: Error, Sendable, Equatable, CustomStringConvertible {
        package var description: String
        init(_ description: String) { self.description = description }
    }
}

/// One summary figure of a simulation set against its exact value.
package struct FigureCheck: Codable, Sendable, Equatable {
    package var figure: String
    package var simulated: Double
    /// Half-width of the 99 % confidence interval over replications.
    package var halfWidth: Double
    package var exact: Double
    package var inside: Bool

    /// snake_case, like every key `hotline` prints, whatever the encoder's key strategy.
    enum CodingKeys: String, CodingKey {
        case figure, simulated
        case halfWidth = "half_width"
        case exact, inside
    }
}

extension SimulationReport {
    /// Compares the replications' figures with exact values, each with a 99 % confidence interval.
    /// - Parameter exact: exact values by summary key (`service_level`, `mean_wait_s`, …).
    package func check(against exact: [(key: String, value: Double)]) -> [FigureCheck] {
        let per = results.map(Figures.init)
        return exact.map { key, value in
            let column: [Double] = per.map { f in
                switch key {
                case "service_level": f.serviceLevel
                case "mean_wait_s": f.meanWaitS
                case "asa_s": f.asaS
                case "abandon_rate": f.abandonRate
                case "occupancy": f.occupancy
                case "offered": f.offered
                default: .nan
                }
            }
            let (mean, half) = meanAndHalfWidth(column, confidence: 0.99)
            // A figure that is exactly the same in every replication (an abandon rate of 0) is inside
            // when it equals the exact value.
            let inside = abs(mean - value) <= half || abs(mean - value) <= 1e-12 * max(1, abs(value))
            return FigureCheck(figure: key, simulated: mean, halfWidth: half, exact: value, inside: inside)
        }
    }
}
