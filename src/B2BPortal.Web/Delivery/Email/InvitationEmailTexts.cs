using System.Collections.Frozen;

namespace B2BPortal.Web.Delivery.Email;

/// <summary>
/// The portal's invitation email in the eleven languages of the 2016 format. <c>{0}</c> is the inviting admin, <c>{1}</c>
/// the organization, <c>{2}</c> the guest's name or the application's name where the sentence takes one.
/// </summary>
public sealed record InvitationEmailTexts(
    string HtmlLang,
    string Subject,
    string GreetingNamed,
    string Greeting,
    string Intro,
    string App,
    string MessageFrom,
    string Accept,
    string LinkFallback,
    string Contact,
    string Ignore)
{
    // The translations are data, kept in InvitationEmailTexts.json beside this file and embedded in the assembly.
    private static readonly FrozenDictionary<string, InvitationEmailTexts> ByLanguage = Load();

    /// <summary>The 2016 language codes these texts exist for.</summary>
    public static IEnumerable<string> Languages => ByLanguage.Keys;

    /// <summary>The texts for a row's language (a 2016 code); English when it has none.</summary>
    public static InvitationEmailTexts For(string? language) =>
        !string.IsNullOrWhiteSpace(language) && ByLanguage.TryGetValue(language.Trim(), out var texts) ? texts : ByLanguage["en"];

    private static FrozenDictionary<string, InvitationEmailTexts> Load()
    {
        var texts = EmbeddedData.Read<Dictionary<string, InvitationEmailTexts>>(typeof(InvitationEmailTexts), "The invitation email texts");
        return texts.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);
    }
}
