/// The parts of the bot's application (`GET /applications/@me`) that decide who runs the bot:
/// its id, its owner and, for a team-owned application, the team.
public struct DiscordApplication: Decodable, Sendable, Equatable {
    public struct User: Decodable, Sendable, Equatable {
        public var id: Snowflake
        public var username: String?

        public init(id: Snowflake, username: String? = nil) {
            self.id = id
            self.username = username
        }
    }

    public struct Team: Decodable, Sendable, Equatable {
        public struct Member: Decodable, Sendable, Equatable {
            public var user: User
            /// 1 invited, 2 accepted.
            public var membershipState: Int
            /// `admin`, `developer` or `read_only`; unknown roles are kept as sent.
            public var role: String

            public init(user: User, membershipState: Int, role: String) {
                self.user = user
                self.membershipState = membershipState
                self.role = role
            }

            enum CodingKeys: String, CodingKey {
                case user, role
                case membershipState = "membership_state"
            }
        }

        public var id: Snowflake
        public var name: String?
        public var ownerUserID: Snowflake
        public var members: [Member]

        public init(id: Snowflake, name: String? = nil, ownerUserID: Snowflake, members: [Member]) {
            self.id = id
            self.name = name
            self.ownerUserID = ownerUserID
            self.members = members
        }

        enum CodingKeys: String, CodingKey {
            case id, name, members
            case ownerUserID = "owner_user_id"
        }
    }

    public var id: Snowflake
    /// The owning user; for a team-owned application Discord sends a stand-in user for the team.
    public var owner: User?
    public var team: Team?

    public init(id: Snowflake, owner: User?, team: Team? = nil) {
        self.id = id
        self.owner = owner
        self.team = team
    }

    /// The users Discord lets manage the application: the owner, or for a team the team's
    /// owner and its accepted members with the admin or developer role (read-only members
    /// may look but not act).
    public var managers: [Manager] {
        guard let team else { return owner.map { [Manager(userID: $0.id.rawValue, role: .owner)] } ?? [] }
        var managers = [Manager(userID: team.ownerUserID.rawValue, role: .owner)]
        for member in team.members where member.membershipState == 2 && member.user.id != team.ownerUserID {
            switch member.role {
            case "admin": managers.append(Manager(userID: member.user.id.rawValue, role: .teamAdmin))
            case "developer": managers.append(Manager(userID: member.user.id.rawValue, role: .teamDeveloper))
            default: continue
            }
        }
        return managers
    }

    /// One user who manages the application, with why.
    public struct Manager: Sendable, Equatable, CustomStringConvertible {
        public enum Role: String, Sendable {
            case owner
            case teamAdmin = "team admin"
            case teamDeveloper = "team developer"
        }

        public var userID: UInt64
        public var role: Role

        public init(userID: UInt64, role: Role) {
            self.userID = userID
            self.role = role
        }

        public var description: String { "\(userID) (\(role.rawValue))" }
    }
}
