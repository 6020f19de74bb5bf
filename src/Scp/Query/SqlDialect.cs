using EdgeCancer.Scp.Index;

namespace EdgeCancer.Scp.Query;

/// <summary>The few SQL fragments that differ between SQLite and PostgreSQL.</summary>
public sealed class SqlDialect
{
    private SqlDialect(IndexDialect kind) => Kind = kind;

    public static readonly SqlDialect Sqlite = new(IndexDialect.Sqlite);
    public static readonly SqlDialect PostgreSql = new(IndexDialect.PostgreSql);

    public static SqlDialect For(IndexDialect kind) => kind == IndexDialect.PostgreSql ? PostgreSql : Sqlite;

    public IndexDialect Kind { get; }

    /// <summary>
    /// A case-sensitive wildcard match. LIKE is case-insensitive for ASCII in SQLite, so SQLite uses GLOB (whose
    /// '*' and '?' are DICOM's own); PostgreSQL's LIKE is case-sensitive.
    /// </summary>
    public (string Sql, string Pattern) CaseSensitiveWildcard(string column, string parameter, string dicomPattern) =>
        Kind == IndexDialect.PostgreSql
            ? ($"{column} LIKE {parameter} ESCAPE '\\'", MatchValues.ToLikePattern(dicomPattern))
            : ($"{column} GLOB {parameter}", MatchValues.ToGlobPattern(dicomPattern));

    /// <summary>A wildcard match insensitive to (ASCII) case, for PN.</summary>
    public (string Sql, string Pattern) CaseInsensitiveWildcard(string column, string parameter, string dicomPattern) =>
        ($"lower({column}) LIKE lower({parameter}) ESCAPE '\\'", MatchValues.ToLikePattern(dicomPattern));

    /// <summary>Backslash-joined distinct values of <paramref name="valueColumn"/> over <paramref name="fromWhere"/>, sorted.</summary>
    public string DistinctList(string valueColumn, string fromWhere) =>
        Kind == IndexDialect.PostgreSql
            ? $"(SELECT string_agg(DISTINCT {valueColumn}, '\\' ORDER BY {valueColumn}) {fromWhere})"
            : $"(SELECT group_concat(v, '\\') FROM (SELECT DISTINCT {valueColumn} AS v {fromWhere} ORDER BY 1))";
}
