namespace B2BPortal.Web.Delivery.Email;

/// <summary>What one row's portal email says (for the sender and for previews on the review and Help pages).</summary>
public sealed class InvitationEmailComposer(GraphGateway graph, TenantConnectionResolver tenant, IOptions<InvitationEmailOptions> options)
{
    /// <summary>The email one row gets: texts in its language, the inviting admin, organization, app branding, message and contact link.</summary>
    public async Task<InvitationEmailModel> ComposeAsync(Invitation row, Batch batch, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(row);
        ArgumentNullException.ThrowIfNull(batch);
        var organization = Organization;
        var inviter = batch.SubmittedBy ?? batch.UploadedBy;
        var branding = row.BrandingAppId is { } appId ? await graph.GetAppBrandingAsync(appId, ct) : null;
        return new InvitationEmailModel(
            InvitationEmailTexts.For(row.Language),
            string.IsNullOrWhiteSpace(row.DisplayName) ? null : row.DisplayName,
            inviter.StartsWith("app:", StringComparison.Ordinal) ? organization : inviter,
            organization,
            row.RedeemUrl ?? PreviewRedeemUrl,
            row.ContactUsUrl,
            branding?.DisplayName,
            branding?.LogoUrl,
            string.IsNullOrWhiteSpace(row.CustomMessage) ? null : row.CustomMessage.Trim());
    }

    /// <summary>A sample email in <paramref name="language"/> for the Help page: what a 2016 row with every column gets.</summary>
    public InvitationEmailModel Sample(string? language, string inviter) => new(
        InvitationEmailTexts.For(language),
        "Alex Partner",
        inviter,
        Organization,
        PreviewRedeemUrl,
        "https://contoso.example/contact",
        "Partner Extranet",
        null,
        "We look forward to working with you on the Falcon project.");

    /// <summary>Stands in for the redeem link Graph returns when the invitation is made.</summary>
    public const string PreviewRedeemUrl = "https://login.microsoftonline.com/redeem?preview";

    private string Organization => options.Value.EffectiveOrganizationName(tenant.Current.IsSimulated) ?? "(Invitations:OrganizationName is not set)";
}
