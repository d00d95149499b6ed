//! What only Windows needs: the console of a GUI-subsystem program, and a
//! message box when the window cannot start (a double-click has no console
//! to print to).

use windows_sys::Win32::Foundation::{HANDLE, INVALID_HANDLE_VALUE};
use windows_sys::Win32::Storage::FileSystem::{GetFileType, FILE_TYPE_DISK, FILE_TYPE_PIPE};
use windows_sys::Win32::System::Console::{
    AttachConsole, GetConsoleOutputCP, GetStdHandle, SetConsoleOutputCP, SetStdHandle, ATTACH_PARENT_PROCESS,
    STD_ERROR_HANDLE, STD_HANDLE, STD_INPUT_HANDLE, STD_OUTPUT_HANDLE,
};
use windows_sys::Win32::UI::WindowsAndMessaging::{MessageBoxW, MB_ICONERROR, MB_OK};

/// UTF-8, so that Chinese text prints as it is on a Windows console.
const CP_UTF8: u32 = 65001;

/// The console as `main` found it, to put back before the CLI exits.
pub struct Console {
    code_page: u32,
}

/// Called first in `main`. With arguments (the CLI) the program attaches to
/// the console of the terminal that started it, if any, so the CLI prints
/// there and reads PINs from it; a standard handle already going to a file or
/// a pipe (`> out.json`, `| findstr`, a PIN piped in) is kept as it was, since
/// attaching would replace it. A double-click (no arguments) stays without a
/// console. The console's output code page becomes UTF-8 until
/// [`Console::restore`].
pub fn console(cli: bool) -> Console {
    // SAFETY: plain Win32 calls on this process's own standard handles and
    // console; each fails harmlessly (returning 0) when there is none.
    unsafe {
        if cli {
            let kept: Vec<(STD_HANDLE, HANDLE)> = [STD_INPUT_HANDLE, STD_OUTPUT_HANDLE, STD_ERROR_HANDLE]
                .into_iter()
                .map(|n| (n, GetStdHandle(n)))
                .filter(|&(_, h)| redirected(h))
                .collect();
            if kept.len() < 3 && AttachConsole(ATTACH_PARENT_PROCESS) != 0 {
                for (n, h) in kept {
                    SetStdHandle(n, h);
                }
            }
        }
        let code_page = GetConsoleOutputCP();
        SetConsoleOutputCP(CP_UTF8);
        Console { code_page }
    }
}

impl Console {
    /// Puts the console's code page back: the console is the terminal's,
    /// shared with what runs after us.
    pub fn restore(self) {
        if self.code_page != 0 {
            // SAFETY: as in `console`.
            unsafe {
                SetConsoleOutputCP(self.code_page);
            }
        }
    }
}

/// Whether a standard handle goes to a file or a pipe.
fn redirected(h: HANDLE) -> bool {
    // SAFETY: GetFileType on a handle of this process's table; an unknown one
    // gives FILE_TYPE_UNKNOWN.
    !h.is_null()
        && h != INVALID_HANDLE_VALUE
        && matches!(unsafe { GetFileType(h) }, FILE_TYPE_DISK | FILE_TYPE_PIPE)
}

/// Says why the window cannot start: printed when standard error goes
/// somewhere (a terminal, a file, a pipe), else (a double-click) in a
/// message box, which waits for OK.
pub fn refuse(text: &str) {
    // SAFETY: GetStdHandle only reads the process's handle table.
    let stderr = unsafe { GetStdHandle(STD_ERROR_HANDLE) };
    if !stderr.is_null() && stderr != INVALID_HANDLE_VALUE {
        eprintln!("conclave: {text}");
        return;
    }
    let title = "Conclave 职称评审会议";
    let wide = |s: &str| s.encode_utf16().chain(std::iter::once(0)).collect::<Vec<u16>>();
    let (title, text) = (wide(title), wide(text));
    // SAFETY: both strings are NUL-terminated UTF-16 that outlive the call; a
    // null owner window is allowed.
    unsafe {
        MessageBoxW(std::ptr::null_mut(), text.as_ptr(), title.as_ptr(), MB_OK | MB_ICONERROR);
    }
}
