using System.Linq.Expressions;

namespace B2BPortal.Web.Data;

/// <summary>
/// <c>Status = 'A' OR Status = 'B'</c> written with constants, so PostgreSQL's per-status (and filtered) indexes serve
/// it; a captured list would become a parameter array the planner cannot match to them.
/// </summary>
internal static class StatusFilter
{
    public static Expression<Func<TEntity, bool>> In<TEntity, TStatus>(string statusProperty, IEnumerable<TStatus> statuses)
    {
        var entity = Expression.Parameter(typeof(TEntity), "e");
        var status = Expression.Property(entity, statusProperty);
        var body = statuses
            .Select(s => (Expression)Expression.Equal(status, Expression.Constant(s, typeof(TStatus))))
            .Aggregate(Expression.OrElse);
        return Expression.Lambda<Func<TEntity, bool>>(body, entity);
    }
}
