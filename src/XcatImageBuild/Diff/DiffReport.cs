using System.Globalization;
using System.Text.Json;
using XcatImageBuild.Formats;

namespace XcatImageBuild.Diff;

/// <summary>What differs between two images, section by section, each sorted by name.</summary>
public sealed class DiffReport
{
    /// <summary>The first image's source, as named.</summary>
    public required string A { get; init; }

    /// <summary>The second image's source, as named.</summary>
    public required string B { get; init; }

    /// <summary>Packages added (<c>From</c> null), removed (<c>To</c> null) or changed in version.</summary>
    public List<(string Name, string? From, string? To)> Packages { get; } = [];

    /// <summary>Root image files added, removed or changed, with the fields that changed.</summary>
    public List<(string Path, RootFile? From, RootFile? To, IReadOnlyList<string> Changes)> Files { get; } = [];

    /// <summary>osimage and linuximage columns that differ.</summary>
    public List<(string Field, string? From, string? To)> Rows { get; } = [];

    /// <summary>List files that differ: the lines only B has, the lines only A has.</summary>
    public List<(string List, IReadOnlyList<string> Added, IReadOnlyList<string> Removed)> Lists { get; } = [];

    /// <summary>Kernel and initrd files whose digests differ.</summary>
    public List<(string File, string? From, string? To)> Boot { get; } = [];

    /// <summary>A note when one side has no SBOM or no root archive, so that section was not compared.</summary>
    public List<string> Notes { get; } = [];

    /// <summary>Whether nothing differs.</summary>
    public bool Equal => Packages.Count == 0 && Files.Count == 0 && Rows.Count == 0 && Lists.Count == 0 && Boot.Count == 0;

    /// <summary>Writes the report as text: one section per kind, <c>+</c> added, <c>-</c> removed, <c>~</c> changed.</summary>
    public void WriteText(TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(output);
        output.WriteLine($"--- {A}");
        output.WriteLine($"+++ {B}");
        Section(output, "Rows", Rows.Select(r => Line(r.From, r.To, $"{r.Field}: {r.From} -> {r.To}", r.Field + "=" + (r.To ?? r.From))));
        Section(output, "Lists", Lists.SelectMany(l => new[] { $"~ {l.List}" }.Concat(l.Removed.Select(x => $"    - {x}")).Concat(l.Added.Select(x => $"    + {x}"))));
        Section(output, "Boot", Boot.Select(b => Line(b.From, b.To, $"{b.File}: sha256 {b.From} -> {b.To}", b.File)));
        Section(output, "Packages", Packages.Select(p => Line(p.From, p.To, $"{p.Name} {p.From} -> {p.To}", $"{p.Name} {p.To ?? p.From}")));
        Section(output, "Files", Files.Select(f => Line(f.From, f.To, $"{f.Path}: {string.Join("; ", f.Changes)}", $"{f.Path} ({Describe((f.To ?? f.From)!)})")));
        foreach (var note in Notes)
        {
            output.WriteLine($"Note: {note}");
        }

        output.WriteLine(Equal ? "The images are equal." : string.Create(CultureInfo.InvariantCulture,
            $"{Rows.Count} rows, {Lists.Count} lists, {Boot.Count} boot files, {Packages.Count} packages, {Files.Count} files differ."));
    }

    /// <summary>Writes the report as one JSON object.</summary>
    public void WriteJson(Stream output)
    {
        using var json = new Utf8JsonWriter(output);
        json.WriteStartObject();
        json.WriteString("a", A);
        json.WriteString("b", B);
        json.WriteBoolean("equal", Equal);
        Changes(json, "rows", Rows.Select(r => (r.Field, r.From, r.To)), "field");
        json.WriteStartArray("lists");
        foreach (var (list, added, removed) in Lists)
        {
            json.WriteStartObject();
            json.WriteString("list", list);
            Strings(json, "added", added);
            Strings(json, "removed", removed);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        Changes(json, "boot", Boot.Select(b => (b.File, b.From, b.To)), "file");
        Changes(json, "packages", Packages.Select(p => (p.Name, p.From, p.To)), "name");
        json.WriteStartArray("files");
        foreach (var (path, from, to, changes) in Files)
        {
            json.WriteStartObject();
            json.WriteString("path", path);
            json.WriteString("change", from is null ? "added" : to is null ? "removed" : "changed");
            Strings(json, "changes", changes);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        Strings(json, "notes", Notes);
        json.WriteEndObject();
    }

    /// <summary>A file's kind, mode, owner, size and target in a few words.</summary>
    public static string Describe(RootFile file)
    {
        ArgumentNullException.ThrowIfNull(file);
        var kind = file.Kind switch
        {
            FileKind.RegularFile => string.Create(CultureInfo.InvariantCulture, $"file, {file.Size} bytes"),
            FileKind.SymbolicLink => $"link to {file.LinkTarget}",
            FileKind.Directory => "directory",
            _ => file.Kind.ToString(),
        };
        return string.Create(CultureInfo.InvariantCulture, $"{kind}, {Convert.ToString(file.Mode, 8).PadLeft(4, '0')}, {file.Uid}:{file.Gid}");
    }

    private static string Line(object? from, object? to, string changed, string single) =>
        from is null ? $"+ {single}" : to is null ? $"- {single}" : $"~ {changed}";

    private static void Section(TextWriter output, string title, IEnumerable<string> lines)
    {
        var list = lines.ToList();
        if (list.Count == 0)
        {
            return;
        }

        output.WriteLine($"{title}:");
        foreach (var line in list)
        {
            output.WriteLine("  " + line);
        }
    }

    private static void Changes(Utf8JsonWriter json, string name, IEnumerable<(string Key, string? From, string? To)> changes, string keyName)
    {
        json.WriteStartArray(name);
        foreach (var (key, from, to) in changes)
        {
            json.WriteStartObject();
            json.WriteString(keyName, key);
            json.WriteString("from", from);
            json.WriteString("to", to);
            json.WriteEndObject();
        }

        json.WriteEndArray();
    }

    private static void Strings(Utf8JsonWriter json, string name, IEnumerable<string> values)
    {
        json.WriteStartArray(name);
        foreach (var value in values)
        {
            json.WriteStringValue(value);
        }

        json.WriteEndArray();
    }
}
