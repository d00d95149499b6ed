; The Windows installer, built by scripts/package-windows.sh with Debian's
; makensis (the Tauri bundler's NSIS path downloads a plugin from GitHub on
; every run, so it cannot be used offline):
;
;   makensis -INPUTCHARSET UTF8 "-XTarget amd64-unicode" \
;     -DVERSION=0.1.0 -DSTAGE=/path/with/the/files -DOUTFILE=/path/setup.exe conclave.nsi
;
; STAGE holds conclave.exe, WebView2Loader.dll, icon.ico and README.txt.
;
; Per-user by default (no administrator needed: %LOCALAPPDATA%\Programs\Conclave
; and the user's Start menu); `/ALLUSERS` installs for every user under
; Program Files, which needs an administrator. `/S` is silent, `/D=DIR` picks
; the folder (last on the command line, as NSIS wants). The uninstaller
; removes what was installed and never the meetings, which live in the data
; folder (%APPDATA%\cn.conclave.app, or CONCLAVE_DATA_DIR).

Unicode true
!ifndef VERSION
  !error "makensis -DVERSION=x.y.z"
!endif
!ifndef STAGE
  !error "makensis -DSTAGE=folder with conclave.exe"
!endif
!ifndef OUTFILE
  !define OUTFILE "Conclave_${VERSION}_x64-setup.exe"
!endif

!define APPNAME "Conclave 职称评审会议"
!define SHORTNAME "Conclave"
!define PUBLISHER "Conclave"
!define UNINSTKEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\Conclave"
; The WebView2 Runtime's client id (Microsoft's "Distribute your app and the
; WebView2 Runtime": check pv under these keys).
!define WEBVIEW2_ID "{F3017226-FE2A-4295-8BDF-00C3A9A7E4C5}"
!define WEBVIEW2_URL "https://developer.microsoft.com/microsoft-edge/webview2/"

!include "MUI2.nsh"
!include "FileFunc.nsh"
!include "LogicLib.nsh"
!include "x64.nsh"

Name "${APPNAME}"
OutFile "${OUTFILE}"
; Decided in .onInit; this only keeps makensis from asking for admin.
RequestExecutionLevel user
InstallDir "$LOCALAPPDATA\Programs\${SHORTNAME}"
SetCompressor /SOLID lzma
BrandingText "${SHORTNAME} ${VERSION}"

VIProductVersion "${VERSION}.0"
VIAddVersionKey /LANG=0 "ProductName" "${APPNAME}"
VIAddVersionKey /LANG=0 "FileDescription" "${APPNAME} — setup"
VIAddVersionKey /LANG=0 "FileVersion" "${VERSION}"
VIAddVersionKey /LANG=0 "ProductVersion" "${VERSION}"
VIAddVersionKey /LANG=0 "CompanyName" "${PUBLISHER}"
VIAddVersionKey /LANG=0 "LegalCopyright" "MIT"

!define MUI_ICON "${STAGE}\icon.ico"
!define MUI_UNICON "${STAGE}\icon.ico"
!define MUI_ABORTWARNING
!define MUI_FINISHPAGE_RUN "$INSTDIR\conclave.exe"
!define MUI_FINISHPAGE_RUN_TEXT "$(RunNow)"

!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!insertmacro MUI_PAGE_FINISH
!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_INSTFILES

!insertmacro MUI_LANGUAGE "SimpChinese"
!insertmacro MUI_LANGUAGE "English"

LangString RunNow ${LANG_SIMPCHINESE} "启动 Conclave"
LangString RunNow ${LANG_ENGLISH} "Start Conclave"

; Both languages in each message: the installer's language follows Windows',
; and the person reading may be the secretary or the IT colleague.
!define NEED_ADMIN "为所有用户安装（/ALLUSERS）需要管理员权限：请右键“以管理员身份运行”，或不加 /ALLUSERS 只为当前用户安装。$\r$\n$\r$\nInstalling for all users (/ALLUSERS) needs an administrator: right-click and “Run as administrator”, or leave out /ALLUSERS to install for this user only."
!define NO_WEBVIEW2 "这台电脑上没有找到 Microsoft Edge WebView2 Runtime。Conclave 的窗口需要它（Windows 11 和多数 Windows 10 已自带）。$\r$\n$\r$\n请从微软网站下载“WebView2 Runtime 常青版”并安装：$\r$\n${WEBVIEW2_URL}$\r$\n不联网的电脑：在别的电脑上下载“独立安装程序 x64”，用 U 盘拷过来运行。$\r$\n$\r$\n安装会继续；装好 WebView2 Runtime 之前，命令行（conclave.exe --help）可以使用，窗口打不开。$\r$\n$\r$\nThe Microsoft Edge WebView2 Runtime was not found on this computer. Conclave's window needs it (Windows 11 and most Windows 10 have it).$\r$\nDownload the “WebView2 Runtime, Evergreen” from Microsoft and install it: ${WEBVIEW2_URL}$\r$\nFor a computer without internet, download the “Standalone Installer x64” elsewhere and copy it over on a USB stick.$\r$\nSetup goes on; until the runtime is installed the command line works and the window does not open."

Var AllUsers

; Reads pv under the WebView2 client key in HKLM (64- and 32-bit views) and
; HKCU; a missing or 0.0.0.0 version means no runtime. Sets $0 to 1 or 0.
!macro HasWebView2
  StrCpy $0 0
  SetRegView 64
  ReadRegStr $1 HKLM "SOFTWARE\WOW6432Node\Microsoft\EdgeUpdate\Clients\${WEBVIEW2_ID}" "pv"
  ${If} $1 == ""
    ReadRegStr $1 HKLM "SOFTWARE\Microsoft\EdgeUpdate\Clients\${WEBVIEW2_ID}" "pv"
  ${EndIf}
  ${If} $1 == ""
    ReadRegStr $1 HKCU "Software\Microsoft\EdgeUpdate\Clients\${WEBVIEW2_ID}" "pv"
  ${EndIf}
  ${If} $1 != ""
  ${AndIf} $1 != "0.0.0.0"
    StrCpy $0 1
  ${EndIf}
!macroend

Function .onInit
  SetRegView 64
  ${GetParameters} $R0
  ClearErrors
  ${GetOptions} $R0 "/ALLUSERS" $R1
  ${IfNot} ${Errors}
    StrCpy $AllUsers 1
    UserInfo::GetAccountType
    Pop $R2
    ${If} $R2 != "Admin"
      MessageBox MB_OK|MB_ICONSTOP "${NEED_ADMIN}" /SD IDOK
      SetErrorLevel 5
      Quit
    ${EndIf}
    ; /D= on the command line has already set $INSTDIR; keep it if so.
    ; (Compared before SetShellVarContext all, which changes $LOCALAPPDATA.)
    ${If} $INSTDIR == "$LOCALAPPDATA\Programs\${SHORTNAME}"
      StrCpy $INSTDIR "$PROGRAMFILES64\${SHORTNAME}"
    ${EndIf}
    SetShellVarContext all
  ${Else}
    StrCpy $AllUsers 0
    SetShellVarContext current
  ${EndIf}
FunctionEnd

Section "Conclave" SecMain
  SectionIn RO
  !insertmacro HasWebView2
  ${If} $0 == 0
    DetailPrint "WebView2 Runtime: not found (${WEBVIEW2_URL})"
    MessageBox MB_OK|MB_ICONEXCLAMATION "${NO_WEBVIEW2}" /SD IDOK
  ${Else}
    DetailPrint "WebView2 Runtime: $1"
  ${EndIf}

  SetOutPath "$INSTDIR"
  File "${STAGE}\conclave.exe"
  File "${STAGE}\WebView2Loader.dll"
  File "${STAGE}\README.txt"
  WriteUninstaller "$INSTDIR\uninstall.exe"

  CreateShortCut "$SMPROGRAMS\${APPNAME}.lnk" "$INSTDIR\conclave.exe" "" "$INSTDIR\conclave.exe" 0

  ; Apps & features. SHCTX is HKLM for /ALLUSERS, HKCU otherwise.
  ${If} $AllUsers == 1
    StrCpy $R3 " /ALLUSERS"
  ${Else}
    StrCpy $R3 ""
  ${EndIf}
  WriteRegStr SHCTX "${UNINSTKEY}" "DisplayName" "${APPNAME}"
  WriteRegStr SHCTX "${UNINSTKEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr SHCTX "${UNINSTKEY}" "Publisher" "${PUBLISHER}"
  WriteRegStr SHCTX "${UNINSTKEY}" "DisplayIcon" "$INSTDIR\conclave.exe"
  WriteRegStr SHCTX "${UNINSTKEY}" "InstallLocation" "$INSTDIR"
  WriteRegStr SHCTX "${UNINSTKEY}" "UninstallString" '"$INSTDIR\uninstall.exe"$R3'
  WriteRegStr SHCTX "${UNINSTKEY}" "QuietUninstallString" '"$INSTDIR\uninstall.exe" /S$R3'
  WriteRegDWORD SHCTX "${UNINSTKEY}" "NoModify" 1
  WriteRegDWORD SHCTX "${UNINSTKEY}" "NoRepair" 1
  ${GetSize} "$INSTDIR" "/S=0K" $R4 $R5 $R6
  WriteRegDWORD SHCTX "${UNINSTKEY}" "EstimatedSize" $R4
SectionEnd

Function un.onInit
  SetRegView 64
  ${GetParameters} $R0
  ClearErrors
  ${GetOptions} $R0 "/ALLUSERS" $R1
  ${IfNot} ${Errors}
    SetShellVarContext all
  ${Else}
    SetShellVarContext current
  ${EndIf}
FunctionEnd

Section "Uninstall"
  ; Only what the installer put here, by name: the meetings are in the data
  ; folder (%APPDATA%\cn.conclave.app) and stay, and anything a user saved
  ; in this folder stays too (RMDir without /r leaves a folder not empty).
  Delete "$INSTDIR\conclave.exe"
  Delete "$INSTDIR\WebView2Loader.dll"
  Delete "$INSTDIR\README.txt"
  Delete "$INSTDIR\uninstall.exe"
  RMDir "$INSTDIR"
  Delete "$SMPROGRAMS\${APPNAME}.lnk"
  DeleteRegKey SHCTX "${UNINSTKEY}"
SectionEnd
