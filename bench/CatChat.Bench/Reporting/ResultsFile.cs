using System.Text.Json;
using System.Text.Json.Serialization;

namespace CatChat.Bench.Reporting;

/// <summary>The results file: one JSON object per line, appended run by run, so an interrupted matrix keeps what it measured.</summary>
internal static class ResultsFile
{
    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public static string ToLine(RunResult result) => JsonSerializer.Serialize(result, Json);

    public static void Append(string path, RunResult result)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (directory is not null)
        {
            Directory.CreateDirectory(directory);
        }

        File.AppendAllText(path, ToLine(result) + "\n");
    }

    public static IReadOnlyList<RunResult> Read(string path) =>
        [.. File.ReadLines(path).Where(line => line.Trim().Length > 0).Select(line => JsonSerializer.Deserialize<RunResult>(line, Json)!)];
}
