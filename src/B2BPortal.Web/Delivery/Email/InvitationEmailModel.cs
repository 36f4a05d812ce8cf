namespace B2BPortal.Web.Delivery.Email;

/// <summary>Everything one guest's invitation email says; the texts are already in the row's language.</summary>
public sealed record InvitationEmailModel(
    InvitationEmailTexts Texts,
    string? GuestName,
    string Inviter,
    string Organization,
    string RedeemUrl,
    string? ContactUsUrl,
    string? AppName,
    string? AppLogoUrl,
    string? Message)
{
    public string Subject => string.Format(CultureInfo.InvariantCulture, Texts.Subject, Inviter, Organization, GuestName);

    /// <summary>The plain-text version of the same email (for transports that carry an alternative, and for previews).</summary>
    public string ToText()
    {
        string F(string text, string? name = null) => string.Format(CultureInfo.InvariantCulture, text, Inviter, Organization, name ?? GuestName);
        var text = new StringBuilder();
        text.AppendLine(GuestName is null ? Texts.Greeting : F(Texts.GreetingNamed)).AppendLine();
        text.AppendLine(F(Texts.Intro));
        if (AppName is not null)
        {
            text.AppendLine(F(Texts.App, AppName));
        }

        if (Message is not null)
        {
            text.AppendLine().AppendLine(F(Texts.MessageFrom)).AppendLine(Message);
        }

        text.AppendLine().AppendLine($"{Texts.Accept}: {RedeemUrl}");
        if (ContactUsUrl is not null)
        {
            text.AppendLine().AppendLine($"{Texts.Contact}: {ContactUsUrl}");
        }

        return text.AppendLine().AppendLine(Texts.Ignore).ToString();
    }
}
