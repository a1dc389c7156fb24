/// Builds the linked victims and suspects of a crime, planting person-level quirks.
public struct PersonFactory {
    /// The persons export header.
    public static let header = ["CrimeNo", "Role", "Surname", "Forename", "DateOfBirth", "Age", "Sex", "IC", "PPO"]
    /// Impossible dates of birth planted.
    public static let impossibleDOBs = ["31/04/1985", "29/02/1991", "15/13/1990", "00/06/1979", "31/09/2001"]

    /// Whether to plant quirks.
    public var plantQuirks = true

    /// A factory.
    public init(plantQuirks: Bool = true) { self.plantQuirks = plantQuirks }

    /// The persons of `crime`: rows of fields and each row's quirks.
    public func persons(for crime: CrimeRecord, group: PatternModel.Group, _ rng: inout FixtureRandom) -> [(fields: [String], quirks: [String])] {
        var out: [(fields: [String], quirks: [String])] = []
        let theme = crime.distraction ? "distraction" : crime.domestic ? "domestic" : crime.hate ? "hate" : nil
        if let v = group.victim {
            let key = (theme ?? v) + "-victim"
            let n = rng.chance(0.9) ? 1 : 2
            for _ in 0..<n { out.append(person(crime: crime, role: "Victim", profile: PatternModel.profiles[key] ?? PatternModel.profiles["adult-victim"]!, ppo: false, &rng)) }
        }
        if rng.chance(group.detected) {
            let key = (theme ?? group.offender) + "-offender"
            let n = rng.chance(0.75) ? 1 : 2
            for _ in 0..<n {
                out.append(person(crime: crime, role: "Suspect", profile: PatternModel.profiles[key] ?? PatternModel.profiles["default-offender"]!,
                                  ppo: rng.chance(0.05), &rng))
            }
        }
        return out
    }

    func person(crime: CrimeRecord, role: String, profile: [PatternModel.ProfilePart], ppo: Bool, _ rng: inout FixtureRandom) -> (fields: [String], quirks: [String]) {
        var quirks: [String] = []
        let part = profile[rng.weighted(profile.map(\.share))]
        let sex = part.sex == "*" ? (rng.chance(0.5) ? "M" : "F") : part.sex
        let age = rng.int(part.minAge...part.maxAge)
        let ics = PatternModel.icWeights(part.ethnicity)
        var ic = ics[rng.weighted(ics.map(\.1))].0
        let ba = ic == "IC3" || ic == "IC4"
        let surname = rng.pick(ba ? PeopleAndPlaces.surnamesBA : PeopleAndPlaces.surnames)
        let forename = rng.pick(sex == "M" ? PeopleAndPlaces.male : PeopleAndPlaces.female)
        // Date of birth consistent with the age at the committed date.
        let c = crime.committed.ymd
        let birthday = CivilDate(c.year - age - 1, 1, 1).day + 1 + rng.below(364)
        var dob = CivilDate(day: birthday).uk
        var ageText = String(ageOn(crime.committed, born: CivilDate(day: birthday)))
        var sexText = sex, roleText = role
        if plantQuirks {
            if rng.chance(0.03) { dob = ""; quirks.append("persons.dob_blank") }
            else if rng.chance(0.003) { dob = rng.pick(Self.impossibleDOBs); quirks.append("persons.dob_impossible") }
            if rng.chance(0.05) { ageText = ""; quirks.append("persons.age_blank") }
            else if !dob.isEmpty && !quirks.contains("persons.dob_impossible") && rng.chance(0.01) { ageText = String(Int(ageText)! + rng.pick([-12, -10, 10, 11])); quirks.append("persons.age_disagrees") }
            if rng.chance(0.01) { sexText = "U"; quirks.append("persons.sex_unknown") }
            else if rng.chance(0.02) { sexText = rng.pick(sex == "M" ? ["m", " M", "Male"] : ["f", "F ", "Female"]); quirks.append("persons.sex_nonstandard") }
            if rng.chance(0.02) { ic = ""; quirks.append("persons.ic_blank") }
            else if rng.chance(0.02) { ic = rng.pick(["IC0", "IC9"]); quirks.append("persons.ic_not_known") }
            if rng.chance(0.01) { roleText = rng.pick([role.uppercased(), role.lowercased() + " "]); quirks.append("persons.role_untidy") }
        }
        let fields = [crime.number, roleText, surname, forename, dob, ageText, sexText, ic, ppo ? "Y" : "N"]
        if fields.contains(where: { $0.unicodeScalars.contains { $0.value >= 0x80 } }) { quirks.append("persons.windows1252_text") }
        return (fields, quirks)
    }
}

/// Age in whole years on `date` of someone born on `born`.
func ageOn(_ date: CivilDate, born: CivilDate) -> Int {
    let d = date.ymd, b = born.ymd
    var a = d.year - b.year
    if (d.month, d.day) < (b.month, b.day) { a -= 1 }
    return a
}
