/// A whole hotline model: the demand, the centre's operators and handling, and the network and
/// rules that route calls and cases. Loaded and validated by `HotlineModel`.
package struct CityModel: Hashable, Sendable {
    package var name: String
    package var description: String
    package var service: ServiceTargets
    package var arrivals: ArrivalProfile
    package var staffing: Staffing
    /// What `hotline staff` plans with (defaults when the model has no `planning` section).
    package var planning: StaffPlanning
    /// Handling by disposition; the shares sum to 1.
    package var handling: [Disposition: Handling]
    /// How long callers wait before hanging up; `nil` for callers who never do.
    package var patience: Distribution?
    package var retrial: Retrial?
    package var conference: ConferenceBehaviour
    package var callbacks: Callbacks?
    package var ivr: IVRBehaviour
    package var cases: CaseBehaviour
    /// The centre's rules for its telephone legs to units (dispatch readings, Art. 11 notifications).
    package var phoneLegs: PhoneLegs
    /// The network, categories, calendar and case policy: everything the routing core decides with.
    package var router: Router
    /// Hours east of UTC of the centre's local time (8 for China).
    package var utcOffsetHours: Int
    /// Art. 13: what a monthly bulletin holds against units and how severely.
    package var bulletins: BulletinRules
    /// Art. 14: the yearly target-management assessment.
    package var assessment: AssessmentRules

    package init(
        name: String,
        description: String = "",
        service: ServiceTargets,
        arrivals: ArrivalProfile,
        staffing: Staffing,
        planning: StaffPlanning = StaffPlanning(),
        handling: [Disposition: Handling],
        patience: Distribution? = nil,
        retrial: Retrial? = nil,
        conference: ConferenceBehaviour = ConferenceBehaviour(),
        callbacks: Callbacks? = nil,
        ivr: IVRBehaviour = IVRBehaviour(),
        cases: CaseBehaviour = CaseBehaviour(),
        phoneLegs: PhoneLegs = PhoneLegs(),
        router: Router,
        utcOffsetHours: Int = 8,
        bulletins: BulletinRules = BulletinRules(),
        assessment: AssessmentRules = AssessmentRules()
    ) {
        self.name = name
        self.description = description
        self.service = service
        self.arrivals = arrivals
        self.staffing = staffing
        self.planning = planning
        self.handling = handling
        self.patience = patience
        self.retrial = retrial
        self.conference = conference
        self.callbacks = callbacks
        self.ivr = ivr
        self.cases = cases
        self.phoneLegs = phoneLegs
        self.router = router
        self.utcOffsetHours = utcOffsetHours
        self.bulletins = bulletins
        self.assessment = assessment
    }
}
