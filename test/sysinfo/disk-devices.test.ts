import {describe, expect, test} from 'bun:test'
import {deviceName, diskIoDevices, isPseudoDevice, mountFor} from '../../src/sysinfo/disk-devices.ts'
import {parseMounts} from '../../src/sysinfo/proc-parsers.ts'

const mounts = parseMounts(['/dev/vda1 / ext4 rw 0 0', '/dev/vdb /home ext4 rw 0 0', 'tmpfs /home/tmp tmpfs rw 0 0', 'overlay /ovl overlay rw 0 0'].join('\n'))
const same = (p: string) => p

describe('disk I/O devices', () => {
  test('a path belongs to the deepest mount that contains it, not to a mount that merely shares a prefix', () => {
    expect(mountFor(mounts, '/home/me/data')?.device).toBe('/dev/vdb')
    expect(mountFor(mounts, '/homework')?.device).toBe('/dev/vda1')
    expect(mountFor(mounts, '/home/tmp')?.device).toBe('tmpfs')
  })

  test('device names follow /dev symlinks to the kernel name', () => {
    expect(deviceName('/dev/mapper/vg-root', () => '/dev/dm-0')).toBe('dm-0')
    expect(deviceName('overlay')).toBeUndefined()
  })

  test('the devices behind the monitored paths are chosen when diskstats knows them', () => {
    expect(diskIoDevices({diskPaths: ['/', '/home'], mounts, known: new Set(['vda', 'vda1', 'vdb', 'loop0']), resolve: same})).toEqual(['vda1', 'vdb'])
  })

  test('a root that is no block device (a container overlay) falls back to every real device', () => {
    const container = parseMounts('overlay / overlay rw 0 0\n')
    expect(diskIoDevices({diskPaths: ['/'], mounts: container, known: new Set(['nvme0n1', 'loop3', 'zram0', 'ram1']), resolve: same})).toEqual(['nvme0n1'])
    expect(['loop0', 'ram0', 'zram0', 'sda'].map(isPseudoDevice)).toEqual([true, true, true, false])
  })
})
