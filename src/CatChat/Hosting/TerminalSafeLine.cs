using System.Globalization;
using System.Text;

namespace CatChat.Hosting;

/// <summary>
/// A message for the operator's terminal that may quote what was given (a setting's value): control characters are
/// shown escaped rather than acted on (an ESC would start a terminal sequence), and the line is kept to one screen line
/// or so, however long the value.
/// </summary>
internal static class TerminalSafeLine
{
    public const int MaxLength = 500;

    public static string Of(string message)
    {
        var line = new StringBuilder(Math.Min(message.Length, MaxLength + 16));
        foreach (var c in message)
        {
            if (line.Length >= MaxLength)
            {
                return line.Append("… (cut)").ToString();
            }

            if (char.IsControl(c))
            {
                line.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:X4}");
            }
            else
            {
                line.Append(c);
            }
        }

        return line.ToString();
    }
}
