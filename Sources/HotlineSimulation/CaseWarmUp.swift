internal import Foundation
internal import HotlineCore
internal import HotlineEngine

/// The case warm-up: the weeks before the start send their calls' cases to the units, so that the
/// first simulated day meets the backlog a centre has on any day of the year, not empty desks. Only
/// the cases are simulated (no operators, no duty-line calls: those cases go in writing); their
/// figures are left out of the run's, but what they do after the start counts (Art. 13 evidence).
extension ReplicationRun {
    /// Draws the calls of a warm-up day, a Poisson process at the model's rate of that date.
    mutating func backlogDay(_ day: Int) {
        guard plan.categoryAlias != nil else { return }
        let date = plan.start.adding(days: day)
        let factor = plan.model.arrivals.dayFactor(date, calendar: plan.model.router.calendar)
        let dayStart = Double(day) * 86_400
        for slot in 0..<48 {
            let rate = plan.model.arrivals.baseRatePerHour[slot] * factor / 3600
            guard rate > 0 else { continue }
            let end = dayStart + Double(slot + 1) * 1800
            var t = dayStart + Double(slot) * 1800
            while true {
                t += -Foundation.log(1 - rIntake.nextUnit()) / rate
                guard t < end else { break }
                let category = Int32(plan.categoryAlias!.sample(&rIntake))
                let territory = plan.territoryAlias.map { Int32($0.sample(&rIntake)) } ?? -1
                queue.schedule(.backlogCall(category: category, territory: territory), at: t)
            }
        }
    }

    /// A warm-up call: the routing core decides it as on any day; a three-party call is settled on the
    /// spot as often as the model's duty lines answer and know, else its case is registered.
    mutating func backlogCall(category: Int32, territory: Int32) {
        let k = Int(category)
        let intent = plan.dispositionLists[k][plan.dispositionAliases[k].sample(&rIntake)]
        var request = CallRequest(
            category: plan.categories[k].code, territory: territory >= 0 ? plan.territories[Int(territory)] : nil,
            intent: intent)
        drawIntake(&request, category: k)
        let router = plan.model.router
        var decision = router.disposition(for: request, at: plan.instant(now))
        if case .conference(let r) = decision {
            let conference = plan.model.conference
            if rIntake.nextUnit() < conference.answerProbability * conference.onSpotProbability { return }
            decision = router.decision(after: .cannotAnswerOnSpot, of: request, with: r, at: plan.instant(now))
        }
        openCase(decision: decision, request: request, call: -1)
    }

    /// What the centre learns at intake beyond the matter: an assignment from city leaders or a
    /// provincial office (Art. 10(9)), and whether a matter is major (Art. 10(6)).
    mutating func drawIntake(_ request: inout CallRequest, category k: Int) {
        let cases = plan.model.cases
        if cases.leaderAssigned > 0, rIntake.nextUnit() < cases.leaderAssigned {
            request.origin = rIntake.nextUnit() < 0.5 ? .cityLeader : .provincialHotlineOffice
        }
        if cases.major > 0, plan.emergencyCategory[k],
            rIntake.nextUnit() < cases.major
        {
            request.major = true
        }
    }
}
