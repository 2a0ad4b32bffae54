namespace XcatImageBuild.Sbom;

/// <summary>
/// Turns a licence as a package declares it — a Debian copyright file's short names (<c>GPL-2+</c>, <c>Expat</c>)
/// or an RPM License tag, in SPDX form already or in Fedora's older names (<c>GPLv2+</c>, <c>ASL 2.0</c>) — into an
/// SPDX licence expression. A licence with any name outside the known ones gives null (SPDX's NOASSERTION), never
/// a guess.
/// </summary>
internal static class SpdxLicense
{
    private static readonly Dictionary<string, string> Known = BuildTable();

    /// <summary>The SPDX expression for a declared licence, or null.</summary>
    public static string? FromDeclared(string? declared)
    {
        if (string.IsNullOrWhiteSpace(declared))
        {
            return null;
        }

        var tokens = Tokens(declared);
        var expression = new List<string>();
        var name = new List<string>();
        foreach (var token in tokens)
        {
            var upper = token.ToUpperInvariant();
            if (upper is "AND" or "OR" or "(" or ")")
            {
                if (!Flush())
                {
                    return null;
                }

                expression.Add(upper is "AND" or "OR" ? upper : token);
            }
            else
            {
                name.Add(token);
            }
        }

        if (!Flush() || expression.Count == 0 || expression[0] is "AND" or "OR" || expression[^1] is "AND" or "OR")
        {
            return null;
        }

        return string.Join(' ', expression).Replace("( ", "(", StringComparison.Ordinal).Replace(" )", ")", StringComparison.Ordinal);

        bool Flush()
        {
            if (name.Count == 0)
            {
                return true;
            }

            var phrase = string.Join(' ', name);
            name.Clear();
            if (!Known.TryGetValue(phrase, out var id))
            {
                return false;
            }

            expression.Add(id);
            return true;
        }
    }

    private static List<string> Tokens(string declared)
    {
        var tokens = new List<string>();
        foreach (var word in declared.Replace(",", " ", StringComparison.Ordinal).Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries))
        {
            var rest = word;
            while (rest.StartsWith('('))
            {
                tokens.Add("(");
                rest = rest[1..];
            }

            var closing = 0;
            while (rest.EndsWith(')'))
            {
                closing++;
                rest = rest[..^1];
            }

            if (rest.Length > 0)
            {
                tokens.Add(rest);
            }

            tokens.AddRange(Enumerable.Repeat(")", closing));
        }

        return tokens;
    }

    private static Dictionary<string, string> BuildTable()
    {
        // SPDX identifiers map to themselves (matched without regard to case, written in SPDX's case).
        string[] spdx =
        [
            "GPL-1.0-only", "GPL-1.0-or-later", "GPL-2.0-only", "GPL-2.0-or-later", "GPL-3.0-only", "GPL-3.0-or-later",
            "LGPL-2.0-only", "LGPL-2.0-or-later", "LGPL-2.1-only", "LGPL-2.1-or-later", "LGPL-3.0-only", "LGPL-3.0-or-later",
            "AGPL-3.0-only", "AGPL-3.0-or-later", "GFDL-1.2-or-later", "GFDL-1.3-or-later", "MIT", "X11", "ISC",
            "BSD-2-Clause", "BSD-3-Clause", "BSD-4-Clause", "0BSD", "Apache-1.1", "Apache-2.0", "Zlib", "MPL-1.1",
            "MPL-2.0", "CC0-1.0", "CC-BY-3.0", "CC-BY-4.0", "CC-BY-SA-3.0", "CC-BY-SA-4.0", "Artistic-1.0",
            "Artistic-1.0-Perl", "Artistic-2.0", "OpenSSL", "curl", "Python-2.0", "PSF-2.0", "Unicode-DFS-2016",
            "BSL-1.0", "Unlicense", "WTFPL", "bzip2-1.0.6", "libpng-2.0", "IJG", "FTL", "MIT-0", "Sleepycat", "OFL-1.1",
            "EPL-1.0", "EPL-2.0", "CDDL-1.0", "LPPL-1.3c", "TCL", "Vim", "Ruby", "PHP-3.01", "PostgreSQL", "NTP",
        ];
        var table = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var id in spdx)
        {
            table[id] = id;
        }

        // Debian's copyright-format short names, and the older names in RPM License tags.
        (string Name, string Id)[] aliases =
        [
            ("GPL-1", "GPL-1.0-only"), ("GPL-1+", "GPL-1.0-or-later"), ("GPL-2", "GPL-2.0-only"), ("GPL-2+", "GPL-2.0-or-later"),
            ("GPL-3", "GPL-3.0-only"), ("GPL-3+", "GPL-3.0-or-later"), ("GPL-2.0", "GPL-2.0-only"), ("GPL-2.0+", "GPL-2.0-or-later"),
            ("GPL-3.0", "GPL-3.0-only"), ("GPL-3.0+", "GPL-3.0-or-later"), ("LGPL-2", "LGPL-2.0-only"), ("LGPL-2+", "LGPL-2.0-or-later"),
            ("LGPL-2.1", "LGPL-2.1-only"), ("LGPL-2.1+", "LGPL-2.1-or-later"), ("LGPL-3", "LGPL-3.0-only"), ("LGPL-3+", "LGPL-3.0-or-later"),
            ("AGPL-3", "AGPL-3.0-only"), ("AGPL-3+", "AGPL-3.0-or-later"), ("Expat", "MIT"), ("BSD-2-clause", "BSD-2-Clause"),
            ("BSD-3-clause", "BSD-3-Clause"), ("BSD-4-clause", "BSD-4-Clause"), ("Apache-2", "Apache-2.0"), ("Artistic", "Artistic-1.0"),
            ("zlib/libpng", "Zlib"), ("GPLv1", "GPL-1.0-only"), ("GPLv1+", "GPL-1.0-or-later"), ("GPLv2", "GPL-2.0-only"),
            ("GPLv2+", "GPL-2.0-or-later"), ("GPLv3", "GPL-3.0-only"), ("GPLv3+", "GPL-3.0-or-later"), ("LGPLv2", "LGPL-2.0-only"),
            ("LGPLv2+", "LGPL-2.0-or-later"), ("LGPLv2.1", "LGPL-2.1-only"), ("LGPLv2.1+", "LGPL-2.1-or-later"), ("LGPLv3", "LGPL-3.0-only"),
            ("LGPLv3+", "LGPL-3.0-or-later"), ("AGPLv3", "AGPL-3.0-only"), ("AGPLv3+", "AGPL-3.0-or-later"), ("ASL 2.0", "Apache-2.0"),
            ("ASL 1.1", "Apache-1.1"), ("MPLv1.1", "MPL-1.1"), ("MPLv2.0", "MPL-2.0"), ("Boost", "BSL-1.0"),
        ];
        foreach (var (name, id) in aliases)
        {
            table[name] = id;
        }
        return table;
    }
}
