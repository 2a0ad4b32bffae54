namespace XcatImageBuild.Lists;

/// <summary>What one item of an expanded pkglist asks for (xcat-spec §3.2).</summary>
public enum PackageListEntryKind
{
    /// <summary>A package (or <c>@group</c>) to install in the current pass.</summary>
    Install,

    /// <summary><c>-name</c>: removed before the pass installs (PRE_REMOVE).</summary>
    PreRemove,

    /// <summary><c>--name</c>: removed after the pass installs (POST_REMOVE).</summary>
    PostRemove,

    /// <summary><c>#ENV:K=V#</c>: an environment setting for the current pass's install command.</summary>
    Environment,

    /// <summary><c>#NEW_INSTALL_LIST#</c>: starts the next pass.</summary>
    NewPass,
}
