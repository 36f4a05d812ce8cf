using System.Globalization;

namespace B2BPortal.Simulator.Graph;

/// <summary>A $filter expression the simulator cannot evaluate or Graph would refuse.</summary>
internal sealed class GraphFilterException(string message) : Exception(message);

/// <summary>
/// The OData $filter subset the portal uses: <c>eq</c>, <c>ne</c>, <c>in</c>, <c>ge</c>/<c>le</c>/<c>gt</c>/<c>lt</c> on
/// date-times, <c>and</c>, <c>or</c>, <c>not</c>,
/// parentheses, <c>startsWith</c> and <c>collection/any(x:x eq '…')</c>. String comparisons ignore case, as Graph's do.
/// </summary>
internal static class GraphFilter
{
    /// <summary>Graph refuses more values than this in one <c>in</c> (and more clauses in one <c>or</c> chain).</summary>
    public const int MaxClauses = 15;

    /// <summary>Parses <paramref name="filter"/>; properties are read with the getter given at evaluation time.</summary>
    public static Func<Func<string, object?>, bool> Parse(string filter, IReadOnlySet<string> filterable)
    {
        var parser = new Parser(Tokenize(filter), filterable);
        var predicate = parser.ParseOr();
        parser.ExpectEnd();
        return predicate;
    }

    private enum Kind
    {
        Word,
        Text,
        Open,
        Close,
        Comma,
        Colon,
        Slash,
        End,
    }

    private readonly record struct Token(Kind Kind, string Value);

    private static List<Token> Tokenize(string text)
    {
        var tokens = new List<Token>();
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (char.IsWhiteSpace(c))
            {
                i++;
            }
            else if (c == '\'')
            {
                var value = new System.Text.StringBuilder();
                i++;
                while (true)
                {
                    if (i >= text.Length)
                    {
                        throw new GraphFilterException("Unterminated string literal in $filter.");
                    }

                    if (text[i] == '\'')
                    {
                        if (i + 1 < text.Length && text[i + 1] == '\'')
                        {
                            value.Append('\'');
                            i += 2;
                            continue;
                        }

                        i++;
                        break;
                    }

                    value.Append(text[i++]);
                }

                tokens.Add(new Token(Kind.Text, value.ToString()));
            }
            else if (c is '(' or ')' or ',' or ':' or '/')
            {
                tokens.Add(new Token(
                    c switch { '(' => Kind.Open, ')' => Kind.Close, ',' => Kind.Comma, ':' => Kind.Colon, _ => Kind.Slash },
                    c.ToString()));
                i++;
            }
            else if (char.IsLetterOrDigit(c) || c is '_' or '.' or '-' or '@')
            {
                var start = i;
                while (i < text.Length && (char.IsLetterOrDigit(text[i]) || text[i] is '_' or '.' or '-' or '@'))
                {
                    i++;
                }

                tokens.Add(new Token(Kind.Word, text[start..i]));
            }
            else
            {
                throw new GraphFilterException($"Syntax error at position {i} in '{text}'.");
            }
        }

        tokens.Add(new Token(Kind.End, string.Empty));
        return tokens;
    }

    private sealed class Parser(List<Token> tokens, IReadOnlySet<string> filterable)
    {
        private readonly HashSet<string> _lambdaVariables = new(StringComparer.Ordinal);
        private int _position;

        private Token Current => tokens[_position];

        public void ExpectEnd()
        {
            if (Current.Kind != Kind.End)
            {
                throw new GraphFilterException($"Syntax error: unexpected '{Current.Value}' in $filter.");
            }
        }

        public Func<Func<string, object?>, bool> ParseOr()
        {
            var parts = new List<Func<Func<string, object?>, bool>> { ParseAnd() };
            while (IsWord("or"))
            {
                _position++;
                parts.Add(ParseAnd());
            }

            if (parts.Count > MaxClauses)
            {
                throw TooManyClauses(parts.Count);
            }

            return parts.Count == 1 ? parts[0] : get => parts.Any(p => p(get));
        }

        private Func<Func<string, object?>, bool> ParseAnd()
        {
            var parts = new List<Func<Func<string, object?>, bool>> { ParseUnary() };
            while (IsWord("and"))
            {
                _position++;
                parts.Add(ParseUnary());
            }

            return parts.Count == 1 ? parts[0] : get => parts.All(p => p(get));
        }

        private Func<Func<string, object?>, bool> ParseUnary()
        {
            if (IsWord("not"))
            {
                _position++;
                var inner = ParseUnary();
                return get => !inner(get);
            }

            if (Current.Kind == Kind.Open)
            {
                _position++;
                var inner = ParseOr();
                Expect(Kind.Close);
                return inner;
            }

            var name = Expect(Kind.Word).Value;
            if (string.Equals(name, "startsWith", StringComparison.OrdinalIgnoreCase) && Current.Kind == Kind.Open)
            {
                _position++;
                var property = Property(Expect(Kind.Word).Value);
                Expect(Kind.Comma);
                var prefix = Expect(Kind.Text).Value;
                Expect(Kind.Close);
                return get => get(property) is string s && s.StartsWith(prefix, StringComparison.OrdinalIgnoreCase);
            }

            if (Current.Kind == Kind.Slash)
            {
                return ParseAny(name);
            }

            var left = _lambdaVariables.Contains(name) ? name : Property(name);
            var op = Expect(Kind.Word).Value.ToLowerInvariant();
            switch (op)
            {
                case "eq":
                case "ne":
                    {
                        var literal = Literal();
                        return op == "eq" ? get => Same(get(left), literal) : get => !Same(get(left), literal);
                    }

                case "in":
                    {
                        Expect(Kind.Open);
                        var values = new List<object?> { Literal() };
                        while (Current.Kind == Kind.Comma)
                        {
                            _position++;
                            values.Add(Literal());
                        }

                        Expect(Kind.Close);
                        if (values.Count > MaxClauses)
                        {
                            throw TooManyClauses(values.Count);
                        }

                        return get => values.Any(v => Same(get(left), v));
                    }

                case "ge":
                case "le":
                case "gt":
                case "lt":
                    {
                        // Only date-time properties are ordered here (externalUserStateChangeDateTime supports ge/le).
                        var bound = DateLiteral();
                        return get => get(left) is DateTimeOffset value && op switch
                        {
                            "ge" => value >= bound,
                            "le" => value <= bound,
                            "gt" => value > bound,
                            _ => value < bound,
                        };
                    }

                default:
                    throw new GraphFilterException($"Unsupported operator '{op}' in $filter.");
            }
        }

        /// <summary><c>otherMails/any(x:x eq 'a')</c>: true when some element of the collection satisfies the lambda.</summary>
        private Func<Func<string, object?>, bool> ParseAny(string collection)
        {
            var property = Property(collection);
            Expect(Kind.Slash);
            if (!IsWord("any"))
            {
                throw new GraphFilterException("Only the any lambda operator is supported in $filter.");
            }

            _position++;
            Expect(Kind.Open);
            var variable = Expect(Kind.Word).Value;
            Expect(Kind.Colon);
            _lambdaVariables.Add(variable);
            var body = ParseOr();
            _lambdaVariables.Remove(variable);
            Expect(Kind.Close);
            return get => get(property) is IEnumerable<string> items
                && items.Any(item => body(name => name == variable ? item : get(name)));
        }

        private object? Literal()
        {
            var token = Current;
            _position++;
            if (token.Kind == Kind.Text)
            {
                return token.Value;
            }

            if (token.Kind == Kind.Word)
            {
                switch (token.Value.ToLowerInvariant())
                {
                    case "null":
                        return null;
                    case "true":
                        return true;
                    case "false":
                        return false;
                }

                if (long.TryParse(token.Value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var number))
                {
                    return number;
                }
            }

            throw new GraphFilterException($"Syntax error: '{token.Value}' is not a literal.");
        }

        /// <summary>An unquoted OData date-time (<c>2026-01-01T00:00:00Z</c>), which the tokenizer split at its colons.</summary>
        private DateTimeOffset DateLiteral()
        {
            var text = new System.Text.StringBuilder(Expect(Kind.Word).Value);
            while (Current.Kind == Kind.Colon && _position + 1 < tokens.Count && tokens[_position + 1].Kind == Kind.Word
                && char.IsDigit(tokens[_position + 1].Value[0]))
            {
                text.Append(':').Append(tokens[_position + 1].Value);
                _position += 2;
            }

            return DateTimeOffset.TryParse(text.ToString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var value)
                ? value
                : throw new GraphFilterException($"Syntax error: '{text}' is not a valid date-time literal in $filter.");
        }

        private string Property(string name)
        {
            var match = filterable.FirstOrDefault(p => string.Equals(p, name, StringComparison.OrdinalIgnoreCase));
            return match ?? throw new GraphFilterException($"Unsupported or invalid query filter clause specified for property '{name}'.");
        }

        private static bool Same(object? value, object? literal) => (value, literal) switch
        {
            (null, null) => true,
            (null, _) or (_, null) => false,
            (string a, string b) => string.Equals(a, b, StringComparison.OrdinalIgnoreCase),
            (bool a, bool b) => a == b,
            (DateTimeOffset a, string b) => DateTimeOffset.TryParse(b, CultureInfo.InvariantCulture, out var d) && a == d,
            _ => Equals(value, literal),
        };

        private static GraphFilterException TooManyClauses(int count) => new(
            $"Too many child clauses specified in search filter expression containing 'OR' operators: {count}. Max allowed: {MaxClauses}.");

        private bool IsWord(string word) =>
            Current.Kind == Kind.Word && string.Equals(Current.Value, word, StringComparison.OrdinalIgnoreCase);

        private Token Expect(Kind kind)
        {
            var token = Current;
            if (token.Kind != kind)
            {
                throw new GraphFilterException($"Syntax error: expected {kind} but found '{token.Value}' in $filter.");
            }

            _position++;
            return token;
        }
    }
}
