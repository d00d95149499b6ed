/* For the Wine test harness only (scripts/test-windows.sh), never shipped:
 * Rust's std on Windows gets its random bytes from ProcessPrng in
 * bcryptprimitives.dll (Windows 10 and later), which Wine 8.0 does not have.
 * This stand-in exports it on top of BCryptGenRandom, which Wine has. */
#include <windows.h>
#include <bcrypt.h>

BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T len)
{
    while (len > 0) {
        ULONG chunk = len > 0x40000000 ? 0x40000000 : (ULONG)len;
        if (BCryptGenRandom(NULL, data, chunk, BCRYPT_USE_SYSTEM_PREFERRED_RNG) != 0)
            return FALSE;
        data += chunk;
        len -= chunk;
    }
    return TRUE;
}
