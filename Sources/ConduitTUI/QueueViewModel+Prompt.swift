extension QueueViewModel {
    /// A question on the prompt line and the answer typed so far.
    public struct Prompt: Sendable, Equatable {
        /// What is asked.
        public enum Question: Sendable, Equatable {
            /// An optional reason for denying request `id`.
            case denyReason(id: String)
            /// How long to remember an approval of request `id`.
            case rememberDuration(id: String)
            /// Which action the history shows (empty: all).
            case historyFilter
        }

        public var question: Question
        public var text: String

        public init(_ question: Question, text: String = "") {
            self.question = question
            self.text = text
        }

        /// The request the answer is about (deny, remember), if any.
        public var target: String? {
            switch question {
            case .denyReason(let id), .rememberDuration(let id): id
            case .historyFilter: nil
            }
        }

        /// The longest answer: a reason may be long, a duration or an action name is short.
        var longestText: Int {
            switch question {
            case .denyReason: 500
            case .rememberDuration: 20
            case .historyFilter: 64
            }
        }
    }
}
