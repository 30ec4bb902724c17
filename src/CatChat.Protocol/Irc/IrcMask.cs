namespace CatChat.Protocol.Irc;

/// <summary>IRC's masks: <c>*</c> matches any run of characters, <c>?</c> any one, letters without regard to case. Pure.</summary>
public static class IrcMask
{
    public static bool Matches(string mask, string value) => Matches(mask.AsSpan(), value.AsSpan());

    // Iterative, with one point to return to after a '*': linear in practice, never exponential.
    private static bool Matches(ReadOnlySpan<char> mask, ReadOnlySpan<char> value)
    {
        int m = 0, v = 0, star = -1, resume = 0;
        while (v < value.Length)
        {
            if (m < mask.Length && (mask[m] == '?' || char.ToLowerInvariant(mask[m]) == char.ToLowerInvariant(value[v])))
            {
                m++;
                v++;
            }
            else if (m < mask.Length && mask[m] == '*')
            {
                star = m++;
                resume = v;
            }
            else if (star >= 0)
            {
                m = star + 1;
                v = ++resume;
            }
            else
            {
                return false;
            }
        }

        while (m < mask.Length && mask[m] == '*')
        {
            m++;
        }

        return m == mask.Length;
    }
}
