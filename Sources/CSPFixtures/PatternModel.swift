/// The synthetic model behind the fixtures: volumes, seasons, trends, hotspots and profiles
/// planted so that the assessment stage can recover the 2009 assessment's findings.
/// Every number here is documented in `Fixtures/README.md` ("Planted patterns").
public enum PatternModel {
    /// Monthly multipliers (Jan…Dec) averaging 1.
    public static let flat = [Double](repeating: 1, count: 12)
    /// Summer peak (June–August).
    public static let summer: [Double] = [0.85, 0.85, 0.9, 0.95, 1.05, 1.25, 1.3, 1.25, 1.05, 0.9, 0.85, 0.8]
    /// Autumn/winter peak (October–February).
    public static let autumnWinter: [Double] = [1.25, 1.1, 0.95, 0.8, 0.75, 0.7, 0.75, 0.8, 0.95, 1.2, 1.35, 1.4]

    /// One offence group's model.
    public struct Group: Sendable {
        /// `offence_group` in offence-codes.csv.
        public var id: String
        /// Crimes a year at the 2008 level.
        public var annual: Double
        /// Month-of-year multipliers.
        public var season: [Double]
        /// Multipliers per half-year: H1 2007, H2 2007, H1 2008, H2 2008, H1 2009.
        public var trend: [Double]
        /// Multipliers on an LSOA's weight by its 2008 ward.
        public var hotspots: [String: Double]
        /// Share placed in a town centre (most in Dunstable's).
        public var townCentre: Double
        /// Victim profile key, nil when the victim is not a person (companies, the state).
        public var victim: String?
        /// Offender profile key.
        public var offender: String
        /// Share with one or two linked suspects.
        public var detected: Double
    }

    static let violenceSpots: [String: Double] = ["09UEGG": 3, "09UEGM": 2.5, "09UEHB": 2, "09UEGQ": 2, "09UEGR": 2.5, "09UEGS": 2.5,
                                "09UEGL": 2, "09UEGZ": 2.5, "09UEGJ": 1.8, "09UCGM": 1.8]
    static let burglarySpots: [String: Double] = ["09UEGP": 3, "09UEGT": 3, "09UEHB": 2, "09UEGM": 2, "09UEGQ": 1.8, "09UEGS": 1.8,
                                "09UEGL": 1.8, "09UEGZ": 1.8, "09UCHC": 1.8, "09UCHD": 1.8, "09UCGL": 1.6, "09UCGN": 1.6]
    static let nonDomesticSpots: [String: Double] = ["09UEGS": 4, "09UEGG": 3, "09UEGR": 2.5, "09UEGJ": 2, "09UCGM": 2, "09UCHD": 1.5]
    static let vehicleSpots: [String: Double] = ["09UEGQ": 2, "09UEGM": 2, "09UEHB": 2, "09UEGG": 2, "09UCHC": 1.8, "09UCGL": 1.8, "09UCGS": 1.5, "09UEGP": 1.5]
    static let damageSpots: [String: Double] = ["09UEGG": 2.5, "09UEGL": 2.2, "09UEGZ": 2.2, "09UEGS": 2.2, "09UEGR": 2.2, "09UEGC": 1.8, "09UEGM": 1.8]
    static let drugSpots: [String: Double] = ["09UEGG": 3, "09UEGS": 2, "09UEGZ": 2]
    /// ASB hotspots: Dunstable, Houghton Regis, Ampthill.
    public static let asbSpots: [String: Double] = ["09UEGG": 2.5, "09UEGM": 2.2, "09UEHB": 2.2, "09UEGQ": 2, "09UEGR": 2.2, "09UEGF": 1.6, "09UEGS": 2.5,
                                  "09UEGL": 2.5, "09UEGZ": 2.5, "09UEGC": 2.2, "09UCGH": 3]
    /// Domestic abuse: the five towns the assessment names.
    public static let domesticTowns: [String: Double] = ["Dunstable": 1.8, "Houghton Regis": 1.8, "Leighton Buzzard": 1.6,
                                                         "Linslade": 1.6, "Biggleswade": 1.6, "Flitwick": 1.6]

    /// The offence groups, in a fixed order.
    public static let groups: [Group] = [
        Group(id: "burglary_dwelling", annual: 1150, season: autumnWinter, trend: [1, 1, 1, 1.15, 0.8], hotspots: burglarySpots, townCentre: 0, victim: "burglary", offender: "burglary", detected: 0.15),
        Group(id: "burglary_other", annual: 1350, season: flat, trend: [0.95, 0.97, 1, 1.1, 1.18], hotspots: nonDomesticSpots, townCentre: 0.1, victim: nil, offender: "nondomestic", detected: 0.1),
        Group(id: "robbery_personal", annual: 130, season: flat, trend: [1, 1, 1, 0.95, 0.88], hotspots: violenceSpots, townCentre: 0.25, victim: "violence", offender: "violence", detected: 0.3),
        Group(id: "robbery_business", annual: 25, season: flat, trend: [1, 1, 1, 0.95, 0.88], hotspots: nonDomesticSpots, townCentre: 0.3, victim: nil, offender: "violence", detected: 0.3),
        Group(id: "theft_of_vehicle", annual: 480, season: flat, trend: [1.05, 1.02, 1, 0.92, 0.78], hotspots: vehicleSpots, townCentre: 0, victim: "adult", offender: "burglary", detected: 0.1),
        Group(id: "theft_from_vehicle", annual: 1500, season: flat, trend: [1.05, 1.02, 1, 0.95, 0.87], hotspots: vehicleSpots, townCentre: 0.05, victim: "adult", offender: "burglary", detected: 0.08),
        Group(id: "aggravated_vehicle_taking", annual: 40, season: flat, trend: [1.05, 1.02, 1, 0.95, 0.87], hotspots: vehicleSpots, townCentre: 0, victim: "adult", offender: "burglary", detected: 0.3),
        Group(id: "theft_from_person", annual: 110, season: flat, trend: [1, 1, 1, 1, 1], hotspots: violenceSpots, townCentre: 0.4, victim: "adult", offender: "default", detected: 0.1),
        Group(id: "bicycle_theft", annual: 330, season: summer, trend: [0.95, 0.98, 1, 1.05, 1.1], hotspots: [:], townCentre: 0.2, victim: "adult", offender: "default", detected: 0.05),
        Group(id: "shoplifting", annual: 850, season: flat, trend: [1, 1, 1, 1, 1], hotspots: [:], townCentre: 0.7, victim: nil, offender: "default", detected: 0.6),
        Group(id: "other_theft", annual: 2100, season: flat, trend: [1, 1, 1, 1, 1], hotspots: [:], townCentre: 0.1, victim: "adult", offender: "default", detected: 0.1),
        Group(id: "wounding", annual: 1350, season: summer, trend: [0.95, 0.97, 1, 1.05, 1.1], hotspots: violenceSpots, townCentre: 0.35, victim: "violence", offender: "violence", detected: 0.45),
        Group(id: "common_assault", annual: 1250, season: summer, trend: [0.92, 0.95, 1, 1.06, 1.14], hotspots: violenceSpots, townCentre: 0.25, victim: "violence", offender: "violence", detected: 0.45),
        Group(id: "harassment", annual: 420, season: flat, trend: [0.95, 0.97, 1, 1.04, 1.08], hotspots: violenceSpots, townCentre: 0.05, victim: "violence", offender: "violence", detected: 0.4),
        Group(id: "sexual", annual: 190, season: flat, trend: [0.95, 0.97, 1, 1.06, 1.15], hotspots: violenceSpots, townCentre: 0.1, victim: "sexual", offender: "violence", detected: 0.3),
        Group(id: "criminal_damage", annual: 2350, season: flat, trend: [1.05, 1.02, 1, 0.95, 0.9], hotspots: damageSpots, townCentre: 0.1, victim: "adult", offender: "damage", detected: 0.12),
        Group(id: "arson", annual: 140, season: flat, trend: [1.05, 1.02, 1, 0.95, 0.9], hotspots: damageSpots, townCentre: 0, victim: "adult", offender: "damage", detected: 0.1),
        Group(id: "drugs", annual: 380, season: flat, trend: [0.9, 0.95, 1, 1.1, 1.22], hotspots: drugSpots, townCentre: 0.45, victim: nil, offender: "drugs", detected: 1),
        Group(id: "fraud", annual: 280, season: flat, trend: [1, 1, 1, 1, 1], hotspots: [:], townCentre: 0.2, victim: "adult", offender: "default", detected: 0.2),
        Group(id: "other", annual: 300, season: flat, trend: [1, 1, 1, 1, 1], hotspots: [:], townCentre: 0.2, victim: nil, offender: "default", detected: 0.7),
    ]

    /// Violence, harassment and sexual groups (domestic and alcohol flags apply).
    public static let violentGroups: Set<String> = ["wounding", "common_assault", "harassment", "sexual", "robbery_personal"]
    /// Domestic share of violence per half-year (rising: increased reporting).
    public static let domesticShare: [Double] = [0.28, 0.29, 0.30, 0.32, 0.35]
    /// Hate-flag share of violence, harassment and criminal damage per half-year (rising).
    public static let hateShare: [Double] = [0.010, 0.011, 0.012, 0.014, 0.017]
    /// Share of domestic burglaries that are distraction burglaries.
    public static let distractionShare = 0.06
    /// Extra multiplier on the town-centre share of violence in June–August (summer peak centred on Dunstable).
    public static let summerTownCentreBoost: [Double] = [1, 1, 1, 1, 1.1, 1.4, 1.5, 1.4, 1.1, 1, 1, 1]
    /// Share of police records that are out of area (Bedford, Luton).
    public static let outOfAreaShare = 0.015

    /// A town centre: ward, point, scatter, and share of town-centre records.
    public struct TownCentre: Sendable {
        /// 2008 ward code holding it.
        public var ward: String
        /// Town name.
        public var town: String
        /// OSGB36 easting.
        public var easting: Int
        /// OSGB36 northing.
        public var northing: Int
        /// Weight among town centres.
        public var weight: Double
    }
    /// Town centres; Dunstable's carries most town-centre crime.
    public static let townCentres: [TownCentre] = [
        TownCentre(ward: "09UEGG", town: "Dunstable", easting: 502000, northing: 222000, weight: 0.6),
        TownCentre(ward: "09UEGJ", town: "Leighton Buzzard", easting: 492100, northing: 225100, weight: 0.15),
        TownCentre(ward: "09UCGM", town: "Biggleswade", easting: 519300, northing: 244600, weight: 0.12),
        TownCentre(ward: "09UEGC", town: "Houghton Regis", easting: 501700, northing: 224000, weight: 0.08),
        TownCentre(ward: "09UCHC", town: "Sandy", easting: 517400, northing: 249300, weight: 0.05),
    ]

    /// One part of a person profile: share, sex (`M`, `F` or `*`), age range, ethnicity mix.
    public struct ProfilePart: Sendable {
        /// Share of persons drawn from this part.
        public var share: Double
        /// `M`, `F` or `*` (either).
        public var sex: String
        /// Youngest age.
        public var minAge: Int
        /// Oldest age.
        public var maxAge: Int
        /// Ethnicity mix key: `we` (White European, IC1/IC2), `ba` (Black or Asian, IC3/IC4), `mix` (all).
        public var ethnicity: String
    }
    /// Victim and offender profiles, from the assessment's text.
    public static let profiles: [String: [ProfilePart]] = [
        // Violence victims: "White European males, aged 10 - 29 years"; "White European females aged 20 - 49 years".
        "violence-victim": [.init(share: 0.55, sex: "M", minAge: 10, maxAge: 29, ethnicity: "we"), .init(share: 0.30, sex: "F", minAge: 20, maxAge: 49, ethnicity: "we"), .init(share: 0.15, sex: "*", minAge: 10, maxAge: 80, ethnicity: "mix")],
        // Violence offenders: "White European males aged 20 - 29 years".
        "violence-offender": [.init(share: 0.70, sex: "M", minAge: 20, maxAge: 29, ethnicity: "we"), .init(share: 0.30, sex: "*", minAge: 10, maxAge: 60, ethnicity: "mix")],
        // Domestic abuse: victims "White European females aged 20 – 39 years", offenders "White European males aged 20 - 39 years".
        "domestic-victim": [.init(share: 0.70, sex: "F", minAge: 20, maxAge: 39, ethnicity: "we"), .init(share: 0.30, sex: "*", minAge: 16, maxAge: 80, ethnicity: "mix")],
        "domestic-offender": [.init(share: 0.75, sex: "M", minAge: 20, maxAge: 39, ethnicity: "we"), .init(share: 0.25, sex: "*", minAge: 16, maxAge: 70, ethnicity: "mix")],
        // Domestic burglary victims: "White European and either Female aged between 20 to 49 years, Males aged between 30 and 59 years".
        "burglary-victim": [.init(share: 0.45, sex: "F", minAge: 20, maxAge: 49, ethnicity: "we"), .init(share: 0.40, sex: "M", minAge: 30, maxAge: 59, ethnicity: "we"), .init(share: 0.15, sex: "*", minAge: 18, maxAge: 90, ethnicity: "mix")],
        // Domestic burglary offenders: "White European males aged 10 to 29".
        "burglary-offender": [.init(share: 0.75, sex: "M", minAge: 10, maxAge: 29, ethnicity: "we"), .init(share: 0.25, sex: "*", minAge: 10, maxAge: 50, ethnicity: "mix")],
        // Distraction burglary: victims "Females aged over 70", offenders "White European males aged 20 to 39".
        "distraction-victim": [.init(share: 0.85, sex: "F", minAge: 71, maxAge: 95, ethnicity: "we"), .init(share: 0.15, sex: "*", minAge: 60, maxAge: 95, ethnicity: "mix")],
        "distraction-offender": [.init(share: 0.80, sex: "M", minAge: 20, maxAge: 39, ethnicity: "we"), .init(share: 0.20, sex: "*", minAge: 18, maxAge: 60, ethnicity: "mix")],
        // Non-domestic burglary offenders: "White European males aged 20 to 29" (victims: companies, no person rows).
        "nondomestic-offender": [.init(share: 0.75, sex: "M", minAge: 20, maxAge: 29, ethnicity: "we"), .init(share: 0.25, sex: "*", minAge: 14, maxAge: 55, ethnicity: "mix")],
        // Hate crime: victims "Black or Asian males aged 20 – 49 years", offenders "White European males aged 20 - 29 years".
        "hate-victim": [.init(share: 0.70, sex: "M", minAge: 20, maxAge: 49, ethnicity: "ba"), .init(share: 0.30, sex: "*", minAge: 16, maxAge: 70, ethnicity: "mix")],
        "hate-offender": [.init(share: 0.70, sex: "M", minAge: 20, maxAge: 29, ethnicity: "we"), .init(share: 0.30, sex: "*", minAge: 14, maxAge: 60, ethnicity: "mix")],
        // Drugs: "White European males aged 20 - 29 years".
        "drugs-offender": [.init(share: 0.75, sex: "M", minAge: 20, maxAge: 29, ethnicity: "we"), .init(share: 0.25, sex: "*", minAge: 15, maxAge: 55, ethnicity: "mix")],
        "sexual-victim": [.init(share: 0.85, sex: "F", minAge: 13, maxAge: 45, ethnicity: "mix"), .init(share: 0.15, sex: "*", minAge: 10, maxAge: 70, ethnicity: "mix")],
        "damage-offender": [.init(share: 0.65, sex: "M", minAge: 10, maxAge: 24, ethnicity: "we"), .init(share: 0.35, sex: "*", minAge: 10, maxAge: 50, ethnicity: "mix")],
        "adult-victim": [.init(share: 1, sex: "*", minAge: 17, maxAge: 85, ethnicity: "mix")],
        "default-offender": [.init(share: 0.6, sex: "M", minAge: 14, maxAge: 35, ethnicity: "we"), .init(share: 0.4, sex: "*", minAge: 10, maxAge: 60, ethnicity: "mix")],
    ]

    /// IC codes and weights for an ethnicity mix.
    public static func icWeights(_ mix: String) -> [(String, Double)] {
        switch mix {
        case "we": [("IC1", 0.93), ("IC2", 0.07)]
        case "ba": [("IC3", 0.5), ("IC4", 0.5)]
        default: [("IC1", 0.83), ("IC2", 0.04), ("IC3", 0.05), ("IC4", 0.06), ("IC5", 0.01), ("IC6", 0.01)]
        }
    }
}
