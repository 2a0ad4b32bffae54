namespace XcatImageBuild.Genimage.PackageManagers;

/// <summary>A package repository as an RPM package manager is given it: an id and a base URL.</summary>
public sealed record Repository(string Id, string BaseUrl);
