using System.Text;
using CatChat.Protocol;

namespace CatChat.Api;

/// <summary>
/// Checks and cleans text that arrives through the API. It gets the same hygiene as chat text:
/// control characters and escape sequences are removed (not refused), so nothing reaches a terminal.
/// </summary>
internal static class TextInput
{
    /// <summary>Cleans a one-line text; returns an error message instead when it is missing or too long.</summary>
    public static (string? Text, string? Error) OneLine(string? value, string field, int maxBytes)
    {
        if (value is null)
        {
            return (null, $"The field '{field}' is required.");
        }

        if (Encoding.UTF8.GetByteCount(value) > maxBytes)
        {
            return (null, $"The field '{field}' is longer than {maxBytes} bytes.");
        }

        var clean = TextSanitizer.Sanitize(value.Replace('\n', ' ').Replace('\r', ' ')).Trim();
        return clean.Length == 0 ? (null, $"The field '{field}' is empty.") : (clean, null);
    }
}
