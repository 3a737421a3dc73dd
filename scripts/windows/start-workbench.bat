@echo off
rem 启动工作台 Start the workbench: double-click this file. It starts leadmatch in this window and
rem opens the page in your browser. Close this window (or press Ctrl-C) to stop it.
chcp 65001 >nul
cd /d "%~dp0"
echo 正在启动招商线索工作台… Starting the lead-matching workbench…
echo 关闭此窗口即停止。 Close this window to stop it.
"%~dp0leadmatch.exe" serve --open
if errorlevel 1 (
  echo.
  echo 启动失败，请查看上面的提示。 The workbench did not start: see the message above.
  echo 常见原因：已有一个工作台在运行（端口 8080 被占用）。 Often another workbench is already running on port 8080.
  pause
)
