namespace B2BPortal.Web.Hosting;

/// <summary>
/// A setting that must be above zero when it is set: a count, a rate or a duration (<see cref="TimeSpan"/>). Null is
/// valid (the setting is optional). <see cref="RangeAttribute"/> cannot say "a TimeSpan above zero" without spelling the
/// largest TimeSpan as a string, and it would also refuse null.
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class PositiveAttribute(string setting) : ValidationAttribute($"{setting} must be positive.")
{
    public override bool IsValid(object? value) => value switch
    {
        null => true,
        TimeSpan duration => duration > TimeSpan.Zero,
        int count => count > 0,
        long count => count > 0,
        double rate => rate > 0,
        _ => throw new InvalidOperationException($"[Positive] does not apply to a {value.GetType().Name}."),
    };
}
