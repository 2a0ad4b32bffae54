namespace XcatImageBuild.Lists;

/// <summary>
/// A <c>find -path</c> pattern (fnmatch without FNM_PATHNAME or FNM_PERIOD): <c>*</c> matches any run of characters
/// including <c>/</c> and leading dots, <c>?</c> any one character, <c>[...]</c> a bracket expression (<c>!</c> or
/// <c>^</c> negates, <c>a-z</c> ranges), and <c>\</c> quotes the next character. xCAT's exlist patterns are these
/// (xcat-spec §2.5), so <c>./usr/share/doc*</c> selects the whole subtree.
/// </summary>
public sealed class PathGlob
{
    private readonly string _pattern;

    public PathGlob(string pattern)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        _pattern = pattern;
    }

    /// <summary>The pattern as written.</summary>
    public string Pattern => _pattern;

    /// <summary>Whether the whole of <paramref name="path"/> matches the pattern.</summary>
    public bool IsMatch(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var p = 0;
        var s = 0;
        var starPattern = -1;
        var starText = -1;
        while (s < path.Length)
        {
            if (p < _pattern.Length && _pattern[p] == '*')
            {
                // Remember the star; first try matching it against nothing and widen on mismatch.
                starPattern = ++p;
                starText = s;
                continue;
            }

            if (p < _pattern.Length && MatchOne(path[s], ref p))
            {
                s++;
                continue;
            }

            if (starPattern < 0)
            {
                return false;
            }

            p = starPattern;
            s = ++starText;
        }

        while (p < _pattern.Length && _pattern[p] == '*')
        {
            p++;
        }

        return p == _pattern.Length;
    }

    public override string ToString() => _pattern;

    // Matches one text character against the pattern element at p and advances p past it on success.
    private bool MatchOne(char c, ref int p)
    {
        var element = _pattern[p];
        switch (element)
        {
            case '?':
                p++;
                return true;
            case '\\' when p + 1 < _pattern.Length:
                if (_pattern[p + 1] != c)
                {
                    return false;
                }

                p += 2;
                return true;
            case '[':
                var end = BracketEnd(p);
                if (end < 0)
                {
                    // An unclosed '[' is an ordinary character, as in fnmatch.
                    goto default;
                }

                if (!MatchBracket(c, p + 1, end))
                {
                    return false;
                }

                p = end + 1;
                return true;
            default:
                if (element != c)
                {
                    return false;
                }

                p++;
                return true;
        }
    }

    // The index of the ']' closing the bracket expression opened at start, or -1.
    private int BracketEnd(int start)
    {
        var i = start + 1;
        if (i < _pattern.Length && _pattern[i] is '!' or '^')
        {
            i++;
        }

        // A ']' right after '[' or '[!' is a member, not the end.
        if (i < _pattern.Length && _pattern[i] == ']')
        {
            i++;
        }

        for (; i < _pattern.Length; i++)
        {
            if (_pattern[i] == ']')
            {
                return i;
            }
        }

        return -1;
    }

    private bool MatchBracket(char c, int from, int end)
    {
        var negate = _pattern[from] is '!' or '^';
        if (negate)
        {
            from++;
        }

        var found = false;
        for (var i = from; i < end; i++)
        {
            var low = _pattern[i];
            if (i + 2 < end && _pattern[i + 1] == '-')
            {
                var high = _pattern[i + 2];
                found |= c >= low && c <= high;
                i += 2;
            }
            else
            {
                found |= c == low;
            }
        }

        return found != negate;
    }
}
