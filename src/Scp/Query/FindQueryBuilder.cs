using System.Globalization;
using System.Text;
using EdgeCancer.Dicom;

namespace EdgeCancer.Scp.Query;

/// <summary>
/// Checks a C-FIND identifier against the information model (PS3.4 C.4.1.2.1, C.6) and translates it into one SQL
/// query. Matching follows C.2.2.2; see docs/archive.md for the choices the standard leaves to the SCP.
/// </summary>
public sealed class FindQueryBuilder
{
    private readonly SqlDialect _dialect;

    public FindQueryBuilder(SqlDialect dialect) => _dialect = dialect;

    public FindPlanResult Build(FindRequest request)
    {
        if (request.Model == QueryModel.StudyRoot && request.Level == QueryLevel.Patient)
            return Fail(FindFailure.IdentifierDoesNotMatchSopClass, "Study Root has no PATIENT level", null);

        var state = new BuildState(_dialect, request);
        var seen = new HashSet<DicomTag>();
        foreach (var key in request.Keys)
        {
            if (!seen.Add(key.Tag)) continue;
            if (key.Tag.Group == 0x0000 || QueryAttributes.NotMatched.Contains(key.Tag)) continue;
            if (!QueryAttributes.ByTag.TryGetValue(key.Tag, out var attribute))
            {
                state.AddExtra(key);
                continue;
            }
            var level = QueryAttributes.EffectiveLevel(attribute, request.Model);
            if (level > request.Level)
                return Fail(FindFailure.IdentifierDoesNotMatchSopClass,
                    $"{attribute.Keyword} is a {LevelName(level)} key, below query level {LevelName(request.Level)}", key.Tag);
            var error = state.Add(attribute, key);
            if (error is not null) return Fail(FindFailure.UnableToProcess, error, key.Tag);
        }
        // Each response holds the unique keys of the query level and the levels above it (C.4.1.2.1).
        for (var level = request.Model == QueryModel.StudyRoot ? QueryLevel.Study : QueryLevel.Patient; level <= request.Level; level++)
        {
            var unique = QueryAttributes.UniqueKey(level);
            if (seen.Add(unique)) state.Add(QueryAttributes.ByTag[unique], new QueryKey(unique, QueryAttributes.ByTag[unique].VR, null));
        }
        return new FindPlanResult(state.ToPlan(), FindFailure.None, null);
    }

    private static FindPlanResult Fail(FindFailure failure, string comment, DicomTag? tag) =>
        new(null, failure, comment.Length > 64 ? comment[..64] : comment, tag);

    internal static string LevelName(QueryLevel level) => level switch
    {
        QueryLevel.Patient => "PATIENT",
        QueryLevel.Study => "STUDY",
        QueryLevel.Series => "SERIES",
        _ => "IMAGE",
    };

    private sealed class BuildState(SqlDialect dialect, FindRequest request)
    {
        private readonly List<string> _select = [];
        private readonly List<string> _where = [];
        private readonly Dictionary<string, object?> _parameters = [];
        private readonly List<ReturnKey> _returnKeys = [];
        private readonly List<OutputColumn> _outputs = [];
        private readonly List<DicomTag> _unsupported = [];
        private readonly HashSet<QueryLevel> _extraLevels = [];
        private readonly HashSet<DicomTag> _combinedTimes = CombinedTimes(request);

        /// <summary>Time keys that are matched together with their date key (C.2.2.2.5), whatever their order in the identifier.</summary>
        private static HashSet<DicomTag> CombinedTimes(FindRequest request)
        {
            var result = new HashSet<DicomTag>();
            if (!request.CombineDateTimeMatching) return result;
            foreach (var key in request.Keys)
            {
                if (MatchValues.IsUniversal(key.Value) || !QueryAttributes.ByTag.TryGetValue(key.Tag, out var a) || a.PairedTime is not { } time) continue;
                if (request.Keys.Any(k => k.Tag == time && !MatchValues.IsUniversal(k.Value))) result.Add(time);
            }
            return result;
        }

        private string Param(object? value)
        {
            var name = "@p" + _parameters.Count.ToString(CultureInfo.InvariantCulture);
            _parameters[name[1..]] = value;
            return name;
        }

        private string Alias(string expression)
        {
            var alias = "c" + _select.Count.ToString(CultureInfo.InvariantCulture);
            _select.Add($"{expression} AS {alias}");
            return alias;
        }

        public void AddExtra(QueryKey key)
        {
            // Not a modelled key: returned from the stored extra attributes when present, never matched.
            if (!key.Tag.IsPrivate && key.VR != DicomVR.SQ)
            {
                for (var level = request.Level; level >= QueryLevel.Patient; level--) _extraLevels.Add(level);
                _returnKeys.Add(new ReturnKey(key.Tag, key.VR));
                _outputs.Add(new OutputColumn(key.Tag, OutputSource.Extra, null, request.Level));
            }
            if (!MatchValues.IsUniversal(key.Value) || key.Tag.IsPrivate || key.VR == DicomVR.SQ) _unsupported.Add(key.Tag);
        }

        /// <summary>Adds a modelled key: its return column and, for a non-universal value, its condition. Returns an error sentence.</summary>
        public string? Add(QueryAttribute attribute, QueryKey key)
        {
            _returnKeys.Add(new ReturnKey(attribute.Tag, attribute.VR));
            switch (attribute.Kind)
            {
                case MatchKind.ModalitiesInStudy:
                    _outputs.Add(new OutputColumn(attribute.Tag, OutputSource.Column,
                        Alias(dialect.DistinctList("x.modality", "FROM series x WHERE x.study_fk = st.pk AND x.modality IS NOT NULL"))));
                    break;
                case MatchKind.SopClassesInStudy:
                    _outputs.Add(new OutputColumn(attribute.Tag, OutputSource.Column,
                        Alias(dialect.DistinctList("x.sop_class_uid", "FROM instance x JOIN series y ON x.series_fk = y.pk WHERE y.study_fk = st.pk"))));
                    break;
                case MatchKind.CodeSequence:
                    return AddCodeSequence(key);
                case MatchKind.Count:
                case MatchKind.Integer:
                    _outputs.Add(new OutputColumn(attribute.Tag, OutputSource.IntegerColumn, Alias(attribute.Column!)));
                    break;
                default:
                    _outputs.Add(new OutputColumn(attribute.Tag, OutputSource.Column, Alias(attribute.Column!)));
                    break;
            }
            if (MatchValues.IsUniversal(key.Value) || _combinedTimes.Contains(attribute.Tag)) return null;
            var value = key.Value!.Trim();
            if (attribute.Kind == MatchKind.Count)
            {
                _unsupported.Add(attribute.Tag);
                return null;
            }
            if (attribute.PairedTime is { } timeTag && _combinedTimes.Contains(timeTag))
                return AddCombinedDateTime(attribute, value, request.Keys.First(k => k.Tag == timeTag).Value!.Trim());
            var (condition, error) = Condition(attribute, value);
            if (error is not null) return error;
            var role = QueryAttributes.EffectiveRole(attribute, request.Model);
            // An entity whose Required key is empty matches any value of that key (PS3.4 C.2.2.1.2, SR.md §4.5).
            var column = attribute.NormalizedColumn ?? attribute.Column;
            _where.Add(role == KeyRole.Required && column is not null ? $"({column} IS NULL OR {condition})" : condition!);
            return null;
        }

        private (string? Sql, string? Error) Condition(QueryAttribute attribute, string value)
        {
            var column = attribute.Column!;
            switch (attribute.Kind)
            {
                case MatchKind.Text:
                    return (TextCondition(column, value, caseInsensitive: false), null);
                case MatchKind.PersonName:
                    return (TextCondition(column, value, caseInsensitive: true), null);
                case MatchKind.MultiText:
                {
                    // C.2.2.3: a multi-valued attribute matches when any of its values matches.
                    var pattern = "%\\\\" + MatchValues.ToLikePattern(value) + "\\\\%";
                    return ($"('\\' || {column} || '\\') LIKE {Param(pattern)} ESCAPE '\\'", null);
                }
                case MatchKind.Uid:
                    return (UidCondition(column, value), null);
                case MatchKind.Integer:
                    if (!int.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number))
                        return (null, $"{attribute.Keyword} value '{value}' is not an integer");
                    return ($"{column} = {Param(number)}", null);
                case MatchKind.Date:
                    return DateCondition(attribute, column, value);
                case MatchKind.Time:
                    return TimeCondition(attribute, attribute.NormalizedColumn!, value);
                case MatchKind.ModalitiesInStudy:
                {
                    var parts = value.Split('\\', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
                        .Select(v => TextCondition("x.modality", v, caseInsensitive: false)).ToList();
                    if (parts.Count == 0) return ("1 = 1", null);
                    return ($"EXISTS (SELECT 1 FROM series x WHERE x.study_fk = st.pk AND ({string.Join(" OR ", parts)}))", null);
                }
                case MatchKind.SopClassesInStudy:
                    return ($"EXISTS (SELECT 1 FROM instance x JOIN series y ON x.series_fk = y.pk WHERE y.study_fk = st.pk AND {UidCondition("x.sop_class_uid", value)})", null);
                default:
                    return (null, $"{attribute.Keyword} cannot be matched");
            }
        }

        private string TextCondition(string column, string value, bool caseInsensitive)
        {
            if (MatchValues.HasWildcard(value))
            {
                var (sql, pattern) = caseInsensitive
                    ? dialect.CaseInsensitiveWildcard(column, "{0}", value)
                    : dialect.CaseSensitiveWildcard(column, "{0}", value);
                return sql.Replace("{0}", Param(pattern), StringComparison.Ordinal);
            }
            return caseInsensitive ? $"lower({column}) = lower({Param(value)})" : $"{column} = {Param(value)}";
        }

        private string UidCondition(string column, string value)
        {
            // C.2.2.2.2: a list of UIDs matches any one of them.
            var uids = value.Split('\\', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
            if (uids.Length == 1) return $"{column} = {Param(uids[0])}";
            return $"{column} IN ({string.Join(", ", uids.Select(u => Param(u)))})";
        }

        private (string?, string?) DateCondition(QueryAttribute attribute, string column, string value)
        {
            if (MatchValues.TrySplitRange(value, out var lo, out var hi))
            {
                string? nlo = lo is null ? null : MatchValues.NormalizeDate(lo);
                string? nhi = hi is null ? null : MatchValues.NormalizeDate(hi);
                if ((lo is not null && nlo is null) || (hi is not null && nhi is null) || (lo is null && hi is null))
                    return (null, $"{attribute.Keyword} range '{value}' is not a DA range");
                var parts = new List<string>();
                if (nlo is not null) parts.Add($"{column} >= {Param(nlo)}");
                if (nhi is not null) parts.Add($"{column} <= {Param(nhi)}");
                return (string.Join(" AND ", parts), null);
            }
            var date = MatchValues.NormalizeDate(value);
            return date is null ? (null, $"{attribute.Keyword} value '{value}' is not a date") : ($"{column} = {Param(date)}", null);
        }

        private (string?, string?) TimeCondition(QueryAttribute attribute, string normalizedColumn, string value)
        {
            if (MatchValues.TrySplitRange(value, out var lo, out var hi))
            {
                var nlo = lo is null ? null : MatchValues.NormalizeTime(lo, '0');
                var nhi = hi is null ? null : MatchValues.NormalizeTime(hi, '9');
                if ((lo is not null && nlo is null) || (hi is not null && nhi is null) || (lo is null && hi is null))
                    return (null, $"{attribute.Keyword} range '{value}' is not a TM range");
                var parts = new List<string>();
                if (nlo is not null) parts.Add($"{normalizedColumn} >= {Param(nlo)}");
                if (nhi is not null) parts.Add($"{normalizedColumn} <= {Param(nhi)}");
                return (string.Join(" AND ", parts), null);
            }
            var time = MatchValues.NormalizeTime(value, '0');
            return time is null ? (null, $"{attribute.Keyword} value '{value}' is not a time") : ($"{normalizedColumn} = {Param(time)}", null);
        }

        /// <summary>C.2.2.2.5: with combined matching, date d1-d2 and time t1-t2 mean the datetime range d1t1 to d2t2.</summary>
        private string? AddCombinedDateTime(QueryAttribute dateAttribute, string dateValue, string timeValue)
        {
            var timeAttribute = QueryAttributes.ByTag[dateAttribute.PairedTime!.Value];
            string? dlo, dhi, tlo, thi;
            if (!MatchValues.TrySplitRange(dateValue, out dlo, out dhi)) dlo = dhi = dateValue;
            if (!MatchValues.TrySplitRange(timeValue, out tlo, out thi)) tlo = thi = timeValue;
            var ndlo = dlo is null ? null : MatchValues.NormalizeDate(dlo);
            var ndhi = dhi is null ? null : MatchValues.NormalizeDate(dhi);
            var ntlo = tlo is null ? "000000000000" : MatchValues.NormalizeTime(tlo, '0');
            var nthi = thi is null ? "235959999999" : MatchValues.NormalizeTime(thi, '9');
            if ((dlo is not null && ndlo is null) || (dhi is not null && ndhi is null) || ntlo is null || nthi is null)
                return $"{dateAttribute.Keyword}/{timeAttribute.Keyword} '{dateValue}' '{timeValue}' is not a range";
            var stamp = $"({dateAttribute.Column} || COALESCE({timeAttribute.NormalizedColumn}, '000000000000'))";
            var parts = new List<string>();
            if (ndlo is not null) parts.Add($"{stamp} >= {Param(ndlo + ntlo)}");
            if (ndhi is not null) parts.Add($"{stamp} <= {Param(ndhi + nthi)}");
            if (parts.Count == 0) return null;
            var condition = string.Join(" AND ", parts);
            bool required = dateAttribute.Role == KeyRole.Required;
            _where.Add(required ? $"({dateAttribute.Column} IS NULL OR ({condition}))" : condition);
            return null;
        }

        private string? AddCodeSequence(QueryKey key)
        {
            var items = key.SequenceItemKeys ?? [];
            var itemTags = new List<DicomTag>();
            foreach (var itemKey in items)
            {
                var column = QueryAttributes.CodeItem.FirstOrDefault(a => a.Tag == itemKey.Tag);
                if (column is null)
                {
                    if (!MatchValues.IsUniversal(itemKey.Value)) _unsupported.Add(itemKey.Tag);
                    continue;
                }
                itemTags.Add(itemKey.Tag);
                // C.2.2.2.6: the single query item matches a stored item whose keys all match.
                if (!MatchValues.IsUniversal(itemKey.Value))
                    _where.Add(TextCondition(column.Column!, itemKey.Value!.Trim(), caseInsensitive: false));
            }
            if (itemTags.Count == 0) itemTags.AddRange(QueryAttributes.CodeItem.Select(a => a.Tag));
            var first = Alias("i.concept_code_value");
            Alias("i.concept_coding_scheme");
            Alias("i.concept_code_meaning");
            _outputs.Add(new OutputColumn(key.Tag, OutputSource.CodeSequence, first, ItemTags: itemTags));
            return null;
        }

        public FindPlan ToPlan()
        {
            var level = request.Level;
            var from = level switch
            {
                QueryLevel.Patient => "patient p",
                QueryLevel.Study => "study st JOIN patient p ON st.patient_fk = p.pk",
                QueryLevel.Series => "series se JOIN study st ON se.study_fk = st.pk JOIN patient p ON st.patient_fk = p.pk",
                _ => "instance i JOIN series se ON i.series_fk = se.pk JOIN study st ON se.study_fk = st.pk JOIN patient p ON st.patient_fk = p.pk",
            };
            var fixedColumns = new StringBuilder();
            fixedColumns.Append(level >= QueryLevel.Study ? "st.study_instance_uid AS k_study, st.specific_character_set AS k_charset" : "NULL AS k_study, NULL AS k_charset");
            fixedColumns.Append(level >= QueryLevel.Series ? ", se.series_instance_uid AS k_series" : ", NULL AS k_series");
            fixedColumns.Append(level == QueryLevel.Image
                ? ", i.sop_instance_uid AS k_sop, i.sop_class_uid AS k_class, i.transfer_syntax_uid AS k_ts, i.file_path AS k_path, i.file_size AS k_size, i.specific_character_set AS k_icharset"
                : ", NULL AS k_sop, NULL AS k_class, NULL AS k_ts, NULL AS k_path, NULL AS k_size, NULL AS k_icharset");
            foreach (var extraLevel in _extraLevels.Order())
            {
                var alias = extraLevel switch { QueryLevel.Patient => "p", QueryLevel.Study => "st", QueryLevel.Series => "se", _ => "i" };
                fixedColumns.Append($", {alias}.extra_json AS x_{(int)extraLevel}");
            }
            var orderBy = level switch { QueryLevel.Patient => "p.pk", QueryLevel.Study => "st.pk", QueryLevel.Series => "se.pk", _ => "i.pk" };
            var sql = new StringBuilder("SELECT ").Append(fixedColumns);
            foreach (var column in _select) sql.Append(", ").Append(column);
            sql.Append(" FROM ").Append(from);
            if (_where.Count > 0) sql.Append(" WHERE ").Append(string.Join(" AND ", _where));
            sql.Append(" ORDER BY ").Append(orderBy);
            return new FindPlan
            {
                Model = request.Model,
                Level = level,
                Sql = sql.ToString(),
                Parameters = _parameters,
                ReturnKeys = _returnKeys,
                UnsupportedKeys = _unsupported,
                Outputs = _outputs,
            };
        }
    }
}
