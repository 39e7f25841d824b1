/// The centre's own rules for its telephone legs: when a waiting caller is offered a call-back, when
/// the satisfaction survey rings, how often a duty line is tried. The simulator and the live backend
/// both follow them, so that a simulated centre and a served one do the same thing at the same moment.
package struct PhoneLegs: Hashable, Sendable {
    /// Seconds between attempts to read a registered case to a duty line that was busy or did not answer
    /// (Art. 10(3)).
    package var dispatchRetry: Double
    /// Attempts at a phone dispatch before the case goes as a written work order (Art. 10(4)).
    package var dispatchAttempts: Int
    /// Seconds the duty line has to press "1" once the case has been read; after that the reading
    /// ends without a sign-for (the unit then signs in its case system).
    package var readingLimit: Double
    /// Seconds between attempts to ring an assisting unit of an emergency (Art. 11).
    package var notificationRetry: Double
    /// Attempts to ring an assisting unit before the centre gives up and logs it.
    package var notificationAttempts: Int

    package init(
        dispatchRetry: Double = 300, dispatchAttempts: Int = 3, readingLimit: Double = 600,
        notificationRetry: Double = 60, notificationAttempts: Int = 3
    ) {
        self.dispatchRetry = dispatchRetry
        self.dispatchAttempts = dispatchAttempts
        self.readingLimit = readingLimit
        self.notificationRetry = notificationRetry
        self.notificationAttempts = notificationAttempts
    }
}

extension IVRBehaviour {
    /// Whether a caller who joins the queue now is offered a call-back: the expected wait, the callers
    /// waiting (this one included) times the mean handling time shared by the operators on duty,
    /// is longer than the model's limit. Nobody on duty: no offer (there is nobody to call back).
    ///
    /// - Parameters:
    ///   - waiting: callers waiting for an operator, the new caller included.
    ///   - onDuty: operators logged in and not on a break (busy or not).
    ///   - meanHandle: the model's mean handling time of a call, talk and after-call work.
    package func offersCallback(waiting: Int, onDuty: Int, meanHandle: Double) -> Bool {
        guard let after = callbackOfferAfter, onDuty > 0 else { return false }
        return Double(waiting) * meanHandle / Double(onDuty) > after
    }
}

extension CityModel {
    /// The model's mean handling time of a call: talk and after-call work, weighted by disposition.
    package var meanHandleTime: Double {
        handling.values.reduce(0.0) { $0 + $1.share * ($1.talk.mean + ($1.afterCall?.mean ?? 0)) }
    }
}

extension Callbacks {
    /// When the satisfaction survey of a case replied at `repliedAt` rings (Art. 10(10)): on the day
    /// of `notBefore` (the next working day), at the time of day of the reply when the callback hours
    /// cover it, else when they open. The surveys of a day are spread as the replies were.
    package func surveyTime(repliedAt: Instant, notBefore: Instant) -> Instant {
        let day = Instant(notBefore.date)
        let tod = repliedAt.secondsIntoDay
        let at = hours.covers(secondsIntoDay: tod) ? day + tod : day + Double(hours.start.seconds)
        return at < notBefore ? notBefore : at
    }
}
