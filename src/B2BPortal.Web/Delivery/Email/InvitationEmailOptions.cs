using B2BPortal.Web.Data;

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
    public double EmailsPerMinute { get; set; } = 30;

    /// <summary>How long a sender holds a row while handing its email over; past it the outcome counts as unknown.</summary>
    public TimeSpan EmailLease { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Wait before trying an email again after Graph answered with a transient error.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Why a batch cannot use the portal's email with this configuration; null when it can.</summary>
    public string? PortalEmailProblem(bool simulated) =>
        EffectiveMailbox(simulated) is null ? "The portal's own email needs a mailbox to send from: set Invitations:Mailbox (a shared mailbox the app may send as)."
        : EffectiveOrganizationName(simulated) is null ? "The portal's own email needs the organization's name: set Invitations:OrganizationName."
        : null;

    public string? EffectiveMailbox(bool simulated) => string.IsNullOrWhiteSpace(Mailbox) ? simulated ? B2BPortal.Simulator.SimulatedTenantDefaults.GlobalAdminUpn : null : Mailbox.Trim();

    public string? EffectiveOrganizationName(bool simulated) =>
        string.IsNullOrWhiteSpace(OrganizationName) ? simulated ? "Contoso" : null : OrganizationName.Trim();
}
