using XcatImageBuild.Tables;

namespace XcatImageBuild.Definitions;

/// <summary>One attribute of an object type and the table column that stores it (xCAT's Schema.pm defspec).</summary>
internal sealed record ObjectAttribute(string Name, TableSchema Table, string Column);
