namespace EdgeCancer.Viewer;

/// <summary>The single-page app's HTML shell (embedded resource <c>Shell/index.html</c>), served at <c>/</c> to signed-in users.</summary>
internal static class AppShell
{
    public static readonly string Html = Load();

    private static string Load()
    {
        using var stream = typeof(AppShell).Assembly.GetManifestResourceStream("EdgeCancer.Viewer.Shell.index.html")
                           ?? throw new InvalidOperationException("Embedded resource Shell/index.html is missing.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
