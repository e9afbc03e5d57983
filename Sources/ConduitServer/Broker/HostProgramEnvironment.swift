/// The environment every handler starts with: the broker's own, plus git settings that switch off
/// what a repository's own configuration can make git *run*.
///
/// Files in a shared volume are written by the agent, `.git/config` included. A terminal opened
/// in `/workspace/project` runs a git-aware prompt, which runs `git status`, which runs
/// `core.fsmonitor` — code of the agent's choosing on the host. `GIT_CONFIG_COUNT` /
/// `GIT_CONFIG_KEY_n` / `GIT_CONFIG_VALUE_n` act like `git -c` for every git started below the
/// handler (the prompt, the editor's git integration) and outrank the repository's files.
///
/// Not covered (they are looked up by a name the repository chooses, so no fixed key can reach
/// them): `filter.<driver>.clean|smudge|process`, `diff.<driver>.textconv|command` and
/// `merge.<driver>.driver` selected through `.gitattributes`, and `pager.<command>`.
public enum HostProgramEnvironment {
    /// The settings, in the order given to git.
    public static let gitSettings: [(key: String, value: String)] = [
        ("core.fsmonitor", "false"),  // `git status` would run it
        ("core.hooksPath", "/dev/null"),  // every hook (commit, checkout, merge, push…)
        ("core.pager", "less"),
        ("core.editor", "vi"),
        ("sequence.editor", "vi"),
        ("core.sshCommand", "ssh"),
        ("core.askPass", ""),
        ("credential.helper", ""),  // an empty value clears the list
        ("gpg.program", "gpg"),
        ("gpg.ssh.program", "ssh-keygen"),
        ("protocol.ext.allow", "never"),  // ext:: URLs run commands
        ("safe.bareRepository", "explicit"),  // a bare repository planted inside the workspace
    ]

    /// The variables to add to (or replace in) the broker's environment.
    public static var variables: [String: String] {
        var variables = ["GIT_CONFIG_COUNT": String(gitSettings.count)]
        for (index, setting) in gitSettings.enumerated() {
            variables["GIT_CONFIG_KEY_\(index)"] = setting.key
            variables["GIT_CONFIG_VALUE_\(index)"] = setting.value
        }
        return variables
    }
}
