/// Invented but plausible names, streets and premises. Some carry Windows-1252 characters
/// (’ 0x92, é 0xE9, ë 0xEB, £ 0xA3) so that decoding is exercised.
public enum PeopleAndPlaces {
    /// Surnames for White European persons.
    public static let surnames = [
        "Smith", "Jones", "Williams", "Taylor", "Brown", "Davies", "Evans", "Wilson", "Thomas", "Johnson",
        "Roberts", "Robinson", "Thompson", "Wright", "Walker", "White", "Edwards", "Hughes", "Green", "Hall",
        "Lewis", "Harris", "Clarke", "Patterson", "Jackson", "Wood", "Turner", "Martin", "Cooper", "Hill",
        "Ward", "Morris", "Moore", "Clark", "Lee", "King", "Baker", "Harrison", "Morgan", "Allen",
        "O’Brien", "O’Connor", "D’Arcy", "Kowalski", "Nowak", "Fernandes", "Rossi", "Murphy", "Kelly", "Bennett",
    ]
    /// Surnames for Black or Asian persons.
    public static let surnamesBA = ["Patel", "Khan", "Hussain", "Begum", "Ahmed", "Ali", "Singh", "Kaur", "Okafor", "Mensah", "Campbell", "Francis", "Asante", "Chowdhury"]
    /// Male forenames.
    public static let male = ["James", "Jack", "Daniel", "Thomas", "Ryan", "Liam", "Connor", "Jordan", "Lewis", "Callum",
                              "David", "Paul", "Mark", "Andrew", "Stephen", "Michael", "Peter", "John", "Gary", "Lee",
                              "Dean", "Craig", "Jamie", "Kieran", "José", "Noël", "Tomasz", "Mohammed", "Imran", "Kwame"]
    /// Female forenames.
    public static let female = ["Emma", "Sophie", "Chloe", "Jessica", "Hannah", "Lauren", "Amy", "Rebecca", "Charlotte", "Laura",
                                "Sarah", "Claire", "Nicola", "Joanne", "Lisa", "Karen", "Susan", "Margaret", "Joan", "Doris",
                                "Zoë", "Renée", "Chloë", "Aimée", "Agnieszka", "Aisha", "Priya", "Nasreen", "Grace", "Abena"]

    /// Residential streets by town (a few real-sounding names; the house numbers are invented).
    public static let streets: [String: [String]] = [
        "Dunstable": ["High Street North", "High Street South", "West Street", "Church Street", "Icknield Street", "Katherine Drive",
                      "Beecroft Way", "St Peter’s Road", "Brewers Hill Road", "Jeans Way", "Kingsbury Avenue", "Borough Road", "Downside Road"],
        "Houghton Regis": ["Tithe Farm Road", "Parkside Drive", "Bedford Road", "Houghton Road", "Churchfield Road", "Lowry Drive", "Cemetery Road"],
        "Leighton Buzzard": ["Hockliffe Street", "Lake Street", "Mercury Way", "Saturn Close", "Jupiter Drive", "Vandyke Road", "Grovebury Road"],
        "Linslade": ["Wing Road", "Old Road", "Southcourt Avenue", "Soulbury Road", "Mentmore Road"],
        "Biggleswade": ["Shortmead Street", "London Road", "Drove Road", "Potton Road", "St Andrew’s Street", "Stratton Way"],
        "Sandy": ["Bedford Road", "St Neots Road", "Cambridge Road", "Ivel Road", "Pinnacle Way"],
        "Flitwick": ["Station Road", "Kings Road", "Dunstable Road", "Steppingstones"],
        "Ampthill": ["Woburn Street", "Dunstable Street", "Bedford Street", "Saunders Piece"],
        "Bedford": ["Midland Road", "Castle Road", "Kimbolton Road"],
        "Luton": ["Dallow Road", "Bury Park Road", "High Town Road"],
    ]
    /// Streets used for villages.
    public static let villageStreets = ["High Street", "Church Lane", "Mill Lane", "The Green", "Manor Road", "School Lane", "Station Road", "Chapel Close"]
    /// Town-centre premises (non-dwelling crimes, shoplifting, robbery of business).
    public static let premises = ["Café Nero, High Street North", "£1 Bargains, Queensway", "Tesco Express, High Street South",
                                  "Co-operative Store, Market Square", "Renée’s Hair Studio, Church Street", "The Nag’s Head, West Street",
                                  "Boots, Quadrant Centre", "Superdrug, Broad Walk", "Wetherspoons, High Street", "Argos, Retail Park"]

    /// Police beat prefix for a town.
    public static func beatPrefix(town: String, district: String) -> String {
        switch town {
        case "Dunstable": "DU"
        case "Houghton Regis": "HR"
        case "Leighton Buzzard", "Linslade": "LB"
        case "Biggleswade": "BG"
        case "Sandy": "SA"
        case "Flitwick": "FL"
        case "Ampthill": "AM"
        case "Bedford": "BD"
        case "Luton": "LU"
        default: district == "09UE" ? "SR" : "MR"
        }
    }

    /// Crime-number prefix: WA (western area, South Beds), EA (eastern area, Mid Beds), BD (Bedford), LU (Luton).
    public static func crimePrefix(district: String) -> String {
        switch district {
        case "09UE": "WA"
        case "09UC": "EA"
        case "09UD", "00KB": "BD"
        case "00KA": "LU"
        default: "EA"
        }
    }
}
