using System.Text;
using XcatImageBuild.Lists;

namespace XcatImageBuild.Recipes;

/// <summary>The generated list files and postinstall script.</summary>
public sealed partial class RecipePlanner
{
    /// <summary>The pkglist or otherpkgs list: recipe items as written, list files expanded in place with their includes.</summary>
    private string? RenderPackages(ImageDefinition image, IReadOnlyList<RecipeListItem> items, string attribute = "pkglist")
    {
        if (items.Count == 0)
        {
            return null;
        }

        var text = Header(image);
        foreach (var item in items)
        {
            if (item.File is null)
            {
                AppendLines(text, item.Lines);
                continue;
            }

            try
            {
                // A fragment is expanded as xCAT expands #INCLUDE: its pass markers continue the list's passes.
                var fragment = PackageList.Load(item.File, attribute: attribute);
                text.Append("# from ").Append(Shown(item)).Append('\n');
                AppendLines(text, fragment.Entries.Select(e => e.ToListLine()));
            }
            catch (XcatException e)
            {
                Problem(item.At, image, OneLine(e.Message));
            }
        }

        return text.ToString();
    }

    /// <summary>The exlist: recipe patterns as written, list files expanded (excludes, then <c>+</c> includes).</summary>
    private string? RenderExcludes(ImageDefinition image)
    {
        if (image.Excludes.Count == 0)
        {
            return null;
        }

        var text = Header(image);
        foreach (var item in image.Excludes)
        {
            if (item.File is null)
            {
                foreach (var pattern in item.Lines.Where(p => p.Contains('#', StringComparison.Ordinal)))
                {
                    // packimage strips everything from '#' on (xcat-spec §2.5), so such a pattern cannot work.
                    Problem(item.At, image, $"the exclude pattern '{pattern}' contains '#', which an exlist treats as a comment.");
                }

                AppendLines(text, item.Lines);
                continue;
            }

            try
            {
                var fragment = ExcludeList.Load(item.File);
                foreach (var warning in fragment.Warnings)
                {
                    Problem(item.At, image, warning);
                }

                text.Append("# from ").Append(Shown(item)).Append('\n');
                AppendLines(text, fragment.Excludes);
                AppendLines(text, fragment.Includes.Select(p => "+" + p));
            }
            catch (XcatException e)
            {
                Problem(item.At, image, OneLine(e.Message));
            }
        }

        return text.ToString();
    }

    /// <summary>
    /// The synclist. Its sections run to the end of the file, so every piece is parsed and the whole list is written
    /// section by section: copy lines, then APPEND:, MERGE:, EXECUTE:, EXECUTEALWAYS:.
    /// </summary>
    private string? RenderSync(ImageDefinition image)
    {
        if (image.Sync.Count == 0)
        {
            return null;
        }

        var parts = new List<SyncList>();
        foreach (var item in image.Sync)
        {
            try
            {
                parts.Add(item.File is null
                    ? SyncList.Parse(string.Join('\n', item.Lines), "recipe")
                    : SyncList.Load(item.File));
            }
            catch (XcatException e)
            {
                Problem(item.At, image, OneLine(e.Message));
            }
        }

        var text = Header(image);
        AppendLines(text, parts.SelectMany(p => p.Files).Select(SyncLine));
        void Section(string header, IEnumerable<string> lines)
        {
            var list = lines.ToList();
            if (list.Count > 0)
            {
                text.Append(header).Append('\n');
                AppendLines(text, list);
            }
        }

        Section("APPEND:", parts.SelectMany(p => p.Append).Select(SyncLine));
        Section("MERGE:", parts.SelectMany(p => p.Merge).Select(SyncLine));
        Section("EXECUTE:", parts.SelectMany(p => p.Execute));
        Section("EXECUTEALWAYS:", parts.SelectMany(p => p.ExecuteAlways));
        var rendered = text.ToString();
        try
        {
            foreach (var missing in SyncList.Parse(rendered, "synclist").Check(_root.Map))
            {
                _warnings.Add(new RecipeProblem(image.At, $"image '{image.Name}': {missing} packimage stops until it does."));
            }
        }
        catch (XcatException e)
        {
            Problem(image.At, image, OneLine(e.Message));
        }

        return rendered;
    }

    /// <summary>The generated postinstall script holding every inline step, or null when there is none.</summary>
    private static string? RenderPostinstall(ImageDefinition image)
    {
        var inline = image.Postinstall.Where(s => s.Script is not null).ToList();
        if (inline.Count == 0)
        {
            return null;
        }

        var text = new StringBuilder("#!/bin/sh\n");
        text.Append(Header(image));
        // genimage calls it outside the image as: <script> <rootimg> <osver> <arch> <profile> (xcat-spec §3.3 step 9).
        text.Append("# Called by genimage as: postinstall <rootimg> <osver> <arch> <profile>\n");
        text.Append("set -e\n");
        foreach (var step in inline)
        {
            AppendLines(text, step.Script!.Replace("\r\n", "\n", StringComparison.Ordinal).TrimEnd('\n').Split('\n'));
        }

        return text.ToString();
    }

    /// <summary>Checks postinstall steps that name an existing script: an absolute site path, executable, plain arguments.</summary>
    private void CheckPostinstallFiles(ImageDefinition image)
    {
        foreach (var step in image.Postinstall.Where(s => s.File is not null))
        {
            var path = step.File!;
            if (!path.StartsWith('/'))
            {
                Problem(step.At, image, $"the postinstall script '{path}' must be an absolute path in the site.");
                continue;
            }

            var disk = _root.Map(path);
            if (!File.Exists(disk))
            {
                Problem(step.At, image, $"the postinstall script {path} does not exist.");
            }
            else if ((File.GetUnixFileMode(disk) & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) == 0)
            {
                // genimage refuses it with "postinstall script <s> is not executable" (xcat-spec §3.3 step 9).
                Problem(step.At, image, $"the postinstall script {path} is not executable.");
            }

            foreach (var argument in step.Arguments.Where(a => a.Length == 0 || a.Any(c => char.IsWhiteSpace(c) || c == ',')))
            {
                // linuximage.postinstall is "path arg1 arg2,path2 ...": commas and blanks separate items and arguments.
                Problem(step.At, image, $"the postinstall argument '{argument}' must be non-empty, without spaces or commas.");
            }
        }
    }

    /// <summary>linuximage.postinstall: every step in recipe order, the generated script standing where its first inline step was.</summary>
    private static string? PostinstallColumn(ImageDefinition image, string? generated)
    {
        var items = new List<string>();
        var generatedPlaced = false;
        foreach (var step in image.Postinstall)
        {
            if (step.File is not null)
            {
                items.Add(string.Join(' ', [step.File, .. step.Arguments]));
            }
            else if (!generatedPlaced && generated is not null)
            {
                items.Add(generated);
                generatedPlaced = true;
            }
        }

        return items.Count == 0 ? null : string.Join(',', items);
    }

    private static string SyncLine(SyncListEntry entry) =>
        $"{string.Join(' ', entry.Sources)} -> {(entry.NodeRange is null ? string.Empty : $"({entry.NodeRange}) ")}{entry.Destination}";

    private static StringBuilder Header(ImageDefinition image) =>
        new($"# Generated by xcatimg recipe apply from {Path.GetFileName(image.At.File)}; edit the recipe, not this file.\n");

    private static void AppendLines(StringBuilder text, IEnumerable<string> lines)
    {
        foreach (var line in lines)
        {
            text.Append(line).Append('\n');
        }
    }

    private string Shown(RecipeListItem item) => SourceLocation.ShowFile(item.File!, _recipeDirectory);

    private static string OneLine(string message) => message.Replace("\n", " ", StringComparison.Ordinal);

    private void Problem(SourceLocation? at, ImageDefinition image, string message) =>
        _problems.Add(new RecipeProblem(at, $"image '{image.Name}': {message}"));
}
