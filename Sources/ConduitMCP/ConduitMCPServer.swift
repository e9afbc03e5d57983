import ConduitAgent
import ConduitClient
import ConduitCore
import Logging
import MCP

/// `ccc-client mcp`: a stdio MCP server that offers the broker's actions as tools and answers
/// Claude Code's permission prompts through the broker's `tool-use` action.
///
/// - `tools/list` asks the broker (`list-actions`) every time, so a reloaded catalog shows up;
///   when the broker cannot be reached, only `permission_prompt` is listed (and a warning logged).
/// - `tools/call` signs and submits the action, waits for its outcome (sending progress
///   notifications while a person decides, when the caller asked for them), and answers with the
///   outcome as text; anything but success is `isError: true`, with the approver's words.
/// - A request still pending when the wait ends, or whose call the client cancels, is withdrawn
///   (`DELETE /v1/actions/{id}`), so no abandoned request runs later.
/// - Each call uses the same HTTP client; after a broker restart the next call simply reconnects.
///
/// Standard output carries only MCP messages; logs go to the logger (standard error).
public struct ConduitMCPServer: Sendable {
    public let client: ConduitHTTPClient
    /// Longest wait for a queued request's outcome, in seconds.
    public let timeout: Int
    /// Seconds between progress notifications while waiting.
    public let progressInterval: Int
    public let version: String
    let logger: Logger

    public init(client: ConduitHTTPClient, timeout: Int, progressInterval: Int = 15, version: String, logger: Logger) {
        self.client = client
        self.timeout = timeout
        self.progressInterval = progressInterval
        self.version = version
        self.logger = logger
    }

    /// Serves MCP on standard input and output until the client closes standard input.
    public func run() async throws {
        let server = Server(
            name: "conduit", version: version,
            instructions: "Each tool is an action on the user's host, decided by the host's policies or by a person; "
                + "a denied call's text says who denied it and why.",
            capabilities: .init(tools: .init(listChanged: false)))
        await server.withMethodHandler(ListTools.self) { _ in
            ListTools.Result(tools: await tools())
        }
        await server.withMethodHandler(CallTool.self) { [server] parameters in
            await call(parameters, server: server)
        }
        try await server.start(transport: StdioTransport(logger: logger))
        await server.waitUntilCompleted()
    }

    /// The broker's actions as tools, then `permission_prompt`.
    func tools() async -> [Tool] {
        var tools: [Tool] = []
        do {
            let response = try await client.submit(["action": "list-actions"])
            if response.status == 200, let listing = response.json?["result"] {
                tools = ActionTool.tools(fromListing: listing).map { action in
                    Tool(name: action.name, description: action.description, inputSchema: action.inputSchema.mcpValue)
                }
            } else {
                logger.warning("list-actions answered \(response.status): \(response.errorMessage ?? "no reason")")
            }
        } catch {
            logger.warning("cannot list the broker's actions, offering permission_prompt only: \(error)")
        }
        tools.append(
            Tool(
                name: PermissionPrompt.toolName, description: PermissionPrompt.description,
                inputSchema: PermissionPrompt.inputSchema.mcpValue))
        return tools
    }

    /// One tool call: an action, or the permission prompt.
    func call(_ parameters: CallTool.Parameters, server: Server) async -> CallTool.Result {
        let arguments = (parameters.arguments ?? [:]).mapValues(JSONValue.init(mcp:))
        let token = parameters._meta?.progressToken
        if parameters.name == PermissionPrompt.toolName {
            return await permissionPrompt(arguments, progressToken: token, server: server)
        }
        guard !ActionTool.hiddenActions.contains(parameters.name) else {
            return Self.result("\(parameters.name) is not offered as a tool.", isError: true)
        }
        guard arguments["action"] == nil else {
            return Self.result("\"action\" is not a parameter of \(parameters.name); the tool's name is the action.", isError: true)
        }
        var body = arguments
        body["action"] = .string(parameters.name)
        switch await decide(.object(body), progressToken: token, server: server) {
        case .success(let outcome):
            logger.info("\(parameters.name): \(outcome.summary.prefix(200))")
            return Self.result(outcome.summary, isError: !outcome.succeeded)
        case .failure(let error):
            logger.warning("\(parameters.name): \(error)")
            return Self.result("Conduit could not run \(parameters.name): \(error)", isError: true)
        }
    }

    private func permissionPrompt(
        _ arguments: [String: JSONValue], progressToken: ProgressToken?, server: Server
    ) async -> CallTool.Result {
        let answer: JSONValue
        do {
            let request = try PermissionPrompt.request(fromArguments: arguments)
            switch await decide(request.body, progressToken: progressToken, server: server) {
            case .success(let outcome):
                logger.info("permission_prompt \(request.tool): \(outcome.summary.prefix(200))")
                answer = PermissionPrompt.answer(for: outcome, input: request.input)
            case .failure(let error):
                logger.warning("permission_prompt \(request.tool): \(error)")
                answer = PermissionPrompt.denial("\(error)")
            }
        } catch {
            answer = PermissionPrompt.denial(error.message)
        }
        return Self.result(answer.compactText, isError: false)
    }

    /// Submits `request` and waits for its outcome (withdrawn if the wait ends without one),
    /// reporting progress when the caller gave a token.
    func decide(
        _ request: JSONValue, progressToken: ProgressToken?, server: Server
    ) async -> Result<ActionOutcome, ClientError> {
        var report: (@Sendable (String, Int) async -> Void)?
        if let progressToken {
            let timeout = timeout
            report = { id, waited in
                await Self.reportWaiting(id: id, waited: waited, of: timeout, token: progressToken, server: server)
            }
        }
        do {
            return .success(
                try await client.outcome(
                    of: request, timeout: timeout, slice: report == nil ? 300 : progressInterval, whilePending: report))
        } catch {
            return .failure(error)
        }
    }

    private static func reportWaiting(id: String, waited: Int, of timeout: Int, token: ProgressToken, server: Server)
        async
    {
        let progress = ProgressNotification.message(
            .init(
                progressToken: token, progress: Double(waited), total: Double(timeout),
                message: "Waiting for a person to decide request \(id) in ccc-queue"))
        try? await server.notify(progress)
    }

    private static func result(_ text: String, isError: Bool) -> CallTool.Result {
        CallTool.Result(content: [.text(text: text, annotations: nil, _meta: nil)], isError: isError)
    }
}
