fn main() -> std::process::ExitCode {
    annals::cli::main()
}
