/// The Place Survey's answer scales, as the national indicator definitions fix them (NI 17, 41, 42, 21, 27).
public enum SurveyScale {
    /// The seven NI 17 strands, in questionnaire order.
    public static let strands = ["q_noisy_neighbours", "q_teenagers", "q_rubbish", "q_vandalism", "q_drugs", "q_drunk_rowdy", "q_abandoned_cars"]
    /// The two agreement questions (NI 21 and NI 27).
    public static let agreements = ["q_deal_with_concerns", "q_understand_concerns"]

    /// A strand label → (standard answer, score). Blank → ("", nil). Unknown → nil.
    public static func strand(_ label: String) -> (answer: String, score: Int?)? {
        switch normal(label) {
        case "very big problem": return ("very_big", 3)
        case "fairly big problem": return ("fairly_big", 2)
        case "not a very big problem", "not very big problem": return ("not_very_big", 1)
        case "not a problem at all", "not a problem": return ("not_at_all", 0)
        case "don't know", "dont know", "don’t know": return ("dont_know", nil)
        case "": return ("", nil)
        default: return nil
        }
    }

    /// An agreement label → standard answer. Blank → "". Unknown → nil.
    public static func agreement(_ label: String) -> String? {
        switch normal(label) {
        case "strongly agree": return "strongly_agree"
        case "tend to agree": return "tend_to_agree"
        case "neither agree nor disagree": return "neither"
        case "tend to disagree": return "tend_to_disagree"
        case "strongly disagree": return "strongly_disagree"
        case "don't know", "dont know", "don’t know": return "dont_know"
        case "": return ""
        default: return nil
        }
    }

    package static func normal(_ s: String) -> String {
        s.split(whereSeparator: { $0 == " " || $0 == "\t" }).joined(separator: " ").lowercased()
    }
}
