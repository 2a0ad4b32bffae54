using XcatImageBuild.Bundles.Import;

namespace XcatImageBuild.Bundles.Format;

/// <summary>
/// The shape of a bundle as its members arrive: one node per path segment, so placing a member, finding a hard
/// link's original and resolving symbolic links each cost the length of the path, never the depth squared.
/// Refusals are <see cref="InvalidDataException"/>s whose message names the member.
/// </summary>
internal sealed class MemberTree
{
    // The kernel gives up after 40 nested symbolic links (MAXSYMLINKS); a chain longer than that never resolves.
    private const int MaxLinkNesting = 40;

    private readonly Node _root = new(null, string.Empty);
    private readonly List<Node> _links = [];
    private readonly bool _absoluteLinksInRoot;
    private readonly string _scope;

    /// <summary>A tree of bundle members: every top-level directory is an image directory, and links may not be absolute.</summary>
    public MemberTree()
        : this(absoluteLinksInRoot: false, "its image directory")
    {
    }

    /// <param name="absoluteLinksInRoot">
    /// Whether an absolute link target is read from the top-level directory, as inside an OS root tree where
    /// <c>/usr/bin/vi</c> means the tree's own (a statelite <c>rootimg/</c>); otherwise absolute targets are refused.
    /// </param>
    /// <param name="scope">What a link may not lead out of, for messages.</param>
    public MemberTree(bool absoluteLinksInRoot, string scope)
    {
        _absoluteLinksInRoot = absoluteLinksInRoot;
        _scope = scope;
    }

    /// <summary>
    /// Places a member at <paramref name="segments"/>; refuses one that lies below a symbolic link or a file, one that
    /// is there already, and a non-directory where earlier members made a directory.
    /// </summary>
    public void Add(string[] segments, string name, StagingMemberKind kind, string? linkTarget)
    {
        var node = _root;
        for (var i = 0; i < segments.Length - 1; i++)
        {
            node = node.Child(segments[i]);
            switch (node.Kind)
            {
                case StagingMemberKind.SymbolicLink:
                    throw new InvalidDataException($"the member '{name}' lies below the symbolic link '{node.Path}'");
                case StagingMemberKind.File:
                    throw new InvalidDataException($"the member '{name}' lies below the file '{node.Path}'");
            }
        }

        var leaf = node.Child(segments[^1]);
        if (leaf.Kind is not null)
        {
            throw new InvalidDataException($"the member '{name}' appears twice");
        }

        if (leaf.HasChildren && kind != StagingMemberKind.Directory)
        {
            throw new InvalidDataException($"the member '{name}' is not a directory, but earlier members lie below it");
        }

        if (kind == StagingMemberKind.SymbolicLink && segments.Length == 1)
        {
            throw new InvalidDataException($"the member '{name}' is a symbolic link at the top level of the bundle");
        }

        leaf.Kind = kind;
        leaf.Name = name;
        leaf.LinkTarget = linkTarget;
        if (kind == StagingMemberKind.SymbolicLink)
        {
            _links.Add(leaf);
        }
    }

    /// <summary>Whether <paramref name="segments"/> names a regular file placed earlier, reached without a symbolic link.</summary>
    public bool IsFile(string[] segments)
    {
        var node = _root;
        foreach (var segment in segments)
        {
            if (node.Find(segment) is not { } next)
            {
                return false;
            }

            node = next;
        }

        return node.Kind == StagingMemberKind.File;
    }

    /// <summary>
    /// Resolves every symbolic link against the tree as it finally is, the way the kernel would (a later link can
    /// change where an earlier one leads), and refuses one that leads out of its image directory at any step, is
    /// absolute, or loops. Each link is resolved once and remembered, so the whole check is linear.
    /// </summary>
    public void RequireLinksInside()
    {
        foreach (var link in _links)
        {
            Resolve(link, 0);
        }
    }

    private (Node Node, int Beyond) Resolve(Node link, int nesting)
    {
        if (link.Resolved is { } done)
        {
            return done;
        }

        var target = link.LinkTarget!;
        if (link.Resolving || nesting > MaxLinkNesting)
        {
            throw new InvalidDataException($"the symbolic link '{link.Name}' is part of a loop or a chain of more than {MaxLinkNesting} links (to '{target}')");
        }

        var at = link.Parent!;
        if (target.StartsWith('/'))
        {
            if (!_absoluteLinksInRoot)
            {
                throw Escapes(link);
            }

            while (at.Depth > 1)
            {
                at = at.Parent!;
            }
        }

        link.Resolving = true;

        // Segments below a name the bundle does not have are followed by name only ("beyond" the last real node):
        // "missing/.." is the directory it started from, as far as the check is concerned.
        var beyond = 0;
        foreach (var segment in target.Split('/'))
        {
            if (segment.Length == 0 || segment == ".")
            {
                continue;
            }

            if (segment == "..")
            {
                if (beyond > 0)
                {
                    beyond--;
                }
                else if (at.Depth <= 1)
                {
                    throw Escapes(link);
                }
                else
                {
                    at = at.Parent!;
                }

                continue;
            }

            if (beyond > 0 || at.Find(segment) is not { } next || next.Kind == StagingMemberKind.File)
            {
                beyond++;
                continue;
            }

            (at, beyond) = next.Kind == StagingMemberKind.SymbolicLink ? Resolve(next, nesting + 1) : (next, 0);
        }

        link.Resolving = false;
        link.Resolved = (at, beyond);
        return (at, beyond);
    }

    private InvalidDataException Escapes(Node link) =>
        new($"the symbolic link '{link.Name}' leads out of {_scope} (to '{link.LinkTarget}')");

    private sealed class Node(Node? parent, string segment)
    {
        private Dictionary<string, Node>? _children;

        public Node? Parent { get; } = parent;

        public int Depth { get; } = parent is null ? 0 : parent.Depth + 1;

        /// <summary>What the member is; null for a directory only implied by the members below it.</summary>
        public StagingMemberKind? Kind { get; set; }

        /// <summary>The member's name as the bundle spells it, for messages.</summary>
        public string? Name { get; set; }

        public string? LinkTarget { get; set; }

        public bool Resolving { get; set; }

        public (Node Node, int Beyond)? Resolved { get; set; }

        public bool HasChildren => _children is { Count: > 0 };

        /// <summary>The path from the bundle root, built only when a message needs it.</summary>
        public string Path => Parent is null || Parent.Parent is null ? segment : Parent.Path + "/" + segment;

        public Node? Find(string name) => _children?.GetValueOrDefault(name);

        public Node Child(string name)
        {
            _children ??= new Dictionary<string, Node>(StringComparer.Ordinal);
            if (!_children.TryGetValue(name, out var child))
            {
                child = new Node(this, name);
                _children.Add(name, child);
            }

            return child;
        }
    }
}
