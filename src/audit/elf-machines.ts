// e_machine values from the System V ABI registry (elf.h).
const machineNames = new Map<number, string>([
  [2, 'SPARC'],
  [3, 'x86 (i386)'],
  [8, 'MIPS'],
  [20, 'PowerPC'],
  [21, 'PowerPC64'],
  [22, 'S/390'],
  [40, 'ARM (32-bit)'],
  [43, 'SPARC V9'],
  [50, 'IA-64'],
  [62, 'x86-64'],
  [183, 'AArch64'],
  [243, 'RISC-V'],
  [258, 'LoongArch'],
]);

export function elfMachineName(machine: number): string {
  return machineNames.get(machine) ?? `ELF machine ${machine}`;
}
