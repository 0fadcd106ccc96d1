namespace Events.Tests.Infrastructure;

/// <summary>Finds the repository and the build output of its projects, in the tests' own configuration.</summary>
public static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    /// <summary>e.g. Silo/bin/Release/net10.0/Silo.dll when the tests were built in Release.</summary>
    public static string BuildOutput(string project)
    {
        // The tests run from Tests/bin/<Configuration>/<tfm>/.
        var testOutput = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var configuration = testOutput.Parent!.Name;
        var dll = Path.Combine(Root, project, "bin", configuration, testOutput.Name, project + ".dll");
        return File.Exists(dll) ? dll : throw new FileNotFoundException($"{dll} is missing: build the solution first (dotnet build -c {configuration}).");
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Events.Orleans.sln")))
            {
                return dir.FullName;
            }
        }
        throw new DirectoryNotFoundException("Events.Orleans.sln not found above " + AppContext.BaseDirectory);
    }
}
