namespace B2BPortal.Web.Delivery.Email;

/// <summary>Configuration section <c>Invitations</c>: who writes the invitation email, and how the portal sends its own.</summary>
public sealed class InvitationEmailOptions
{
    public const string SectionName = "Invitations";

    /// <summary>Default for batches that do not choose (<c>?email=microsoft|portal</c> on upload).</summary>
    public InvitationEmail Email { get; set; } = InvitationEmail.Microsoft;

    /// <summary>
    /// The mailbox the portal's email is sent from (Graph sendMail with application Mail.Send; limit it to this mailbox
    /// with Exchange RBAC for Applications). In simulation the Global Administrator's mailbox.
    /// </summary>
    public string? Mailbox { get; set; }

    /// <summary>The inviting organization's name in the email. In simulation "Contoso".</summary>
    public string? OrganizationName { get; set; }

    /// <summary>Emails per minute from this instance; Exchange Online allows a mailbox about 30 messages a minute.</summary>
    [Positive("Invitations:EmailsPerMinute")] public double EmailsPerMinute { get; set; } = 30;

    /// <summary>How long a sender holds a row while handing its email over; past it the outcome counts as unknown.</summary>
    [Positive("Invitations:EmailLease")] public TimeSpan EmailLease { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Wait before trying an email again after Graph answered with a transient error.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>An SMTP relay for the portal's email instead of Graph sendMail (section <c>Invitations:Smtp</c>); off unless Host is set.</summary>
    public SmtpOptions Smtp { get; set; } = new();

    /// <summary>Why a batch cannot use the portal's email with this configuration; null when it can.</summary>
    public string? PortalEmailProblem(bool simulated) =>
        EffectiveMailbox(simulated) is null ? "The portal's own email needs a mailbox to send from: set Invitations:Mailbox (a shared mailbox the app may send as)."
        : EffectiveOrganizationName(simulated) is null ? "The portal's own email needs the organization's name: set Invitations:OrganizationName."
        : null;

    /// <summary>The address the portal's email is sent from: the SMTP sender when SMTP is used, else the mailbox.</summary>
    public string? EffectiveSender(bool simulated) => Smtp.Enabled && !string.IsNullOrWhiteSpace(Smtp.From) ? Smtp.From.Trim() : EffectiveMailbox(simulated);

    public string? EffectiveMailbox(bool simulated) => string.IsNullOrWhiteSpace(Mailbox) ? simulated ? B2BPortal.Simulator.SimulatedTenantDefaults.GlobalAdminUpn : null : Mailbox.Trim();

    public string? EffectiveOrganizationName(bool simulated) =>
        string.IsNullOrWhiteSpace(OrganizationName) ? simulated ? "Contoso" : null : OrganizationName.Trim();
}

/// <summary>
/// <c>Invitations:Smtp</c>: the portal's email through an SMTP relay (MailKit) — an organization's own relay, or Exchange
/// Online's SMTP AUTH submission — instead of Graph sendMail. Used when <see cref="Host"/> is set.
/// </summary>
public sealed class SmtpOptions
{
    public string? Host { get; set; }

    /// <summary>587 (submission with STARTTLS) by default.</summary>
    public int Port { get; set; } = 587;

    /// <summary><c>StartTls</c> (default), <c>SslOnConnect</c> (port 465), or <c>None</c> — allowed for a loopback relay only.</summary>
    public SmtpSecurity Security { get; set; } = SmtpSecurity.StartTls;

    /// <summary>Sign-in for the relay; none when empty. Keep the password in a vault or environment variable, never the file.</summary>
    public string? UserName { get; set; }

    public string? Password { get; set; }

    /// <summary>The sender address (From); <c>Invitations:Mailbox</c> when empty.</summary>
    public string? From { get; set; }

    public bool Enabled => !string.IsNullOrWhiteSpace(Host);

    /// <summary>Why this configuration cannot be used; null when it can (or SMTP is off).</summary>
    public string? Problem() =>
        !Enabled ? null
        : Port is < 1 or > 65535 ? "Invitations:Smtp:Port must be between 1 and 65535."
        : Security == SmtpSecurity.None && !IsLoopback(Host!) ? "Invitations:Smtp:Security=None sends mail and passwords in clear: it is allowed for a relay on this machine (localhost, 127.0.0.1) only — use StartTls or SslOnConnect."
        : string.IsNullOrWhiteSpace(UserName) != string.IsNullOrWhiteSpace(Password) ? "Invitations:Smtp: set both UserName and Password, or neither."
        : null;

    private static bool IsLoopback(string host) =>
        host.Equals("localhost", StringComparison.OrdinalIgnoreCase) || (System.Net.IPAddress.TryParse(host, out var ip) && System.Net.IPAddress.IsLoopback(ip));
}

public enum SmtpSecurity
{
    StartTls,
    SslOnConnect,
    None,
}
