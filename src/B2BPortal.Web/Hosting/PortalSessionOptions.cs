namespace B2BPortal.Web.Hosting;

/// <summary>How long a sign-in lasts (section <c>Portal:Session</c>).</summary>
public sealed class PortalSessionOptions
{
    public const string SectionName = "Portal:Session";

    /// <summary>
    /// The longest a sign-in is good for, however active the person is: the sliding cookie (8 hours idle) is renewed
    /// while they work, but after this they sign in again.
    /// </summary>
    [Positive("Portal:Session:AbsoluteLifetime")] public TimeSpan AbsoluteLifetime { get; set; } = TimeSpan.FromHours(8);
}
